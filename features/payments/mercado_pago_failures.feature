@payment
Feature: An order waits out Mercado Pago's failures and is charged once
  Mercado Pago sometimes fails, or is down for a while. The payment service
  retries with the order's idempotency key, so the order gets its PIX code in
  the end and the customer is never charged twice.

  # Mercado Pago's failures hit every order at once, so these scenarios run
  # alone.
  @serial
  Scenario: Mercado Pago fails after creating the payment, and the retry charges once
    Given Mercado Pago will answer the next 2 payment creations with a server error, though it makes them
    And a registered customer named "Júlia"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order soon awaits payment with a PIX QR code
    And Mercado Pago holds exactly one payment for the order
    And Mercado Pago refused 2 payment creations

  @serial
  Scenario: Mercado Pago is down for a while, then the order proceeds
    Given Mercado Pago is down
    And a registered customer named "Caio"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 1        |
    Then the order still is "RECEIVED" without a QR code after Mercado Pago refused 4 attempts to create its payment
    When Mercado Pago is back
    Then the order soon awaits payment with a PIX QR code
    And Mercado Pago holds exactly one payment for the order
