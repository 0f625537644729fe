@resilience
Feature: What can never succeed is set aside, what can wait waits
  A message no one can handle goes to the dead-letter queue at once, with
  the reason, and the queue keeps flowing. A payment Mercado Pago refuses
  for good cancels the order, saying why. An outage of Mercado Pago, of
  PostgreSQL or of DynamoDB is waited out, however many deliveries it takes.

  Scenario: Poison messages are dead-lettered and the queues keep flowing
    Given a malformed message is put on the order service's queue
    And an event no service knows is put on the payment service's queue
    And a registered customer named "Vera"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order soon awaits payment with a PIX QR code
    And the poison messages soon are in the dead-letter queues, each with its reason

  @serial
  Scenario: A payment Mercado Pago can never create cancels the order, with the reason
    Given Mercado Pago's clock runs an hour ahead, so every PIX expiry we ask for is past
    And a registered customer named "Caetano"
    When the customer orders:
      | product | quantity |
      | Sorvete | 1        |
    Then the order soon is "CANCELLED"
    And the order was cancelled because "mercado pago refused the payment"
    And the payment is "REJECTED"
    And the kitchen never receives the order
    And no message about the order was dead-lettered

  @serial
  Scenario: Mercado Pago down for longer than five deliveries: the order waits, then proceeds
    Given Mercado Pago is down
    And a registered customer named "Bento"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order still is "RECEIVED" without a QR code after Mercado Pago refused 18 attempts to create its payment
    When Mercado Pago is back
    Then the order soon awaits payment with a PIX QR code
    And Mercado Pago holds exactly one payment for the order
    And no message about the order was dead-lettered

  @serial
  Scenario: PostgreSQL restarts while an order is paid, and the services recover by themselves
    Given a registered customer named "Rui"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 2        |
    And the order soon awaits payment with a PIX QR code
    When PostgreSQL is down for 2 seconds while Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the kitchen soon has exactly one record of the order
    And no message about the order was dead-lettered
    And the customer soon can order again

  # DynamoDB failing for some services alone is done by the in-process door
  # to AWS.
  @serial @in-process
  Scenario: DynamoDB down for longer than five deliveries: the order waits, then reaches the kitchen
    Given a registered customer named "Dora"
    And DynamoDB is down for the payment and production services
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order still is "RECEIVED" without a QR code after the payment service found DynamoDB down 6 times
    When DynamoDB is back for the payment service
    Then the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the order still is "PAID" after the kitchen found DynamoDB down 6 times
    When DynamoDB is back for the production service
    Then the kitchen soon has exactly one record of the order
    When the kitchen starts preparing the order
    And the kitchen completes the order
    Then the order soon is "READY"
    And no message about the order was dead-lettered
