@resilience
Feature: A message delivered twice changes an order once
  SQS delivers every message at least once, sometimes twice; Mercado Pago
  sends a notification again and again. Every service recognises what it
  has already done, by the event's id and by the order it is about.

  # Delivering twice is done by the in-process door to AWS.
  @serial @in-process
  Scenario: Every message delivered twice: the order goes through its life once
    Given SQS delivers every message twice
    And a registered customer named "Dora"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 2        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the kitchen soon has exactly one record of the order
    When the kitchen starts preparing the order
    Then the order soon is "IN_PREPARATION"
    When the kitchen completes the order
    Then the order soon is "READY"
    When an employee hands the order over at the counter
    Then the order history is "RECEIVED, AWAITING_PAYMENT, PAID, IN_PREPARATION, READY, DELIVERED"
    And Mercado Pago holds exactly one payment for the order
    And every one of the 6 messages about the order was sent twice
    And no message about the order was dead-lettered

  @serial @in-process
  Scenario: A rejection delivered twice cancels the order once
    Given SQS delivers every message twice
    And a registered customer named "Elias"
    When the customer orders:
      | product           | quantity |
      | Refrigerante Lata | 1        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago rejects the payment
    Then the order soon is "CANCELLED"
    And the order history is "RECEIVED, AWAITING_PAYMENT, CANCELLED"
    And the kitchen never receives the order
    And every one of the 3 messages about the order was sent twice

  @serial
  Scenario: The same notification five times at once pays the order once
    Given a registered customer named "Iris"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment and sends its notification 5 times at once
    Then every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the payment service settled the payment once, and the order became PAID once
    And the kitchen soon has exactly one record of the order
