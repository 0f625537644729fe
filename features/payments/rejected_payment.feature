@payment
Feature: A payment that fails cancels the order
  When Mercado Pago rejects the PIX payment, the order is cancelled and never
  reaches the kitchen.

  Scenario: A rejected payment cancels the order
    Given a registered customer named "Pedro"
    When the customer orders:
      | product  | quantity |
      | Sorvete  | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago rejects the payment
    Then the order soon is "CANCELLED"
    And the payment is "REJECTED"
    And the order history is "RECEIVED, AWAITING_PAYMENT, CANCELLED"
    And the kitchen never receives the order

  Scenario: A webhook without a valid signature is refused
    Given a registered customer named "Lucas"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    When someone posts a payment notification with a wrong signature
    Then the answer is 401 "invalid_signature"
    And the payment is "PENDING"
