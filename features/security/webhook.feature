@security
Feature: Only Mercado Pago's signed notifications count, and each counts once
  A notification must carry Mercado Pago's signature; the same signed
  delivery sent again is acknowledged but not processed again.

  Scenario: A forged notification is refused and a replayed one is processed once
    Given an anonymous customer
    When the customer orders:
      | product | quantity |
      | Sorvete | 1        |
    And the order soon awaits payment with a PIX QR code
    When someone posts a payment notification with a wrong signature
    Then the answer is 401 "invalid_signature"
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    When the same signed notification about the payment arrives twice
    Then the first is accepted and the second acknowledged without being processed again
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
