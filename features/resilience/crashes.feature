@resilience
Feature: A service that dies loses nothing
  Services crash at the worst moments: after a commit whose events are not
  yet relayed, or after Mercado Pago made a payment that was not yet stored.
  What they committed is published when they come back, and what they held
  comes back to them: the order goes on, and is charged once.

  # Faults hit the whole system, so these scenarios run alone. Refusing SQS
  # and dying at a write need the in-process door to AWS.
  @serial @in-process
  Scenario: The order service dies after its commit, before its outbox is relayed
    Given SQS refuses every message sent to it
    And a registered customer named "Helena"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order service crashes
    And SQS accepts messages again
    And the order service is started again
    Then the order soon awaits payment with a PIX QR code
    And Mercado Pago holds exactly one payment for the order

  @serial @in-process
  Scenario: The payment service dies after Mercado Pago made the payment, before storing it
    Given the payment service will die the next time it stores a payment
    And a registered customer named "Otto"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 1        |
    Then the payment service soon is down
    And Mercado Pago holds exactly one payment for the order
    When the payment service is started again
    Then the order soon awaits payment with a PIX QR code
    And the payment is "PENDING"
    And Mercado Pago holds exactly one payment for the order
    And no message about the order was dead-lettered

  @serial
  Scenario: The order service is killed in the middle of an order, and the order still ends READY
    Given a registered customer named "Teodoro"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    And the order service crashes
    And Mercado Pago approves the payment
    And the order service is started again
    Then the order soon is "PAID"
    And the kitchen soon has exactly one record of the order
    When the kitchen starts preparing the order
    And the kitchen completes the order
    Then the order soon is "READY"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID, IN_PREPARATION, READY"
    And Mercado Pago holds exactly one payment for the order
    And no message about the order was dead-lettered

  @serial
  Scenario: The kitchen service pauses while an order is paid, and catches up
    Given a registered customer named "Inês"
    When the customer orders:
      | product | quantity |
      | Sorvete | 1        |
    And the order soon awaits payment with a PIX QR code
    And the production service pauses
    And Mercado Pago approves the payment
    Then the order soon is "PAID"
    When the production service resumes
    Then the kitchen soon shows the order for "Inês" as "RECEIVED"
    And the kitchen soon has exactly one record of the order
