@payment
Feature: A PIX code that runs out cancels the order
  A PIX code can be paid until its expiry date. When Mercado Pago's clock
  passes it, Mercado Pago cancels the payment and the order is cancelled too.

  # Moving Mercado Pago's clock expires every pending payment, so this
  # scenario runs alone.
  @serial
  Scenario: The PIX code expires before the customer pays
    Given a registered customer named "Otávio"
    When the customer orders:
      | product | quantity |
      | Sorvete | 2        |
    And the order soon awaits payment with a PIX QR code
    When the PIX code's time runs out at Mercado Pago
    Then the order soon is "CANCELLED"
    And the payment is "CANCELLED"
    And the order history is "RECEIVED, AWAITING_PAYMENT, CANCELLED"
    And the kitchen never receives the order
