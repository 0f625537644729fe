@observability @in-process
Feature: The metrics that matter move
  Every consumer counts what became of each message it received, and the
  order service counts orders entering each status: what an alarm on the
  dead-letter queue or a dashboard of orders is made of.

  # The harness reads every service's metrics in memory, in-process only.
  Scenario: A poison message shows in the dead-letter count
    Given the order service's count of messages dead-lettered
    When a malformed message is put on the order service's queue
    Then the order service soon counts at least 1 more message dead-lettered

  Scenario: An order paid and cooked shows in the counts of orders by status
    Given the order service's count of orders entering "READY"
    And a registered customer named "Caio"
    When the customer orders:
      | product | quantity |
      | Sorvete | 1        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago approves the payment
    Then the order soon is "PAID"
    When the kitchen starts preparing the order
    And the kitchen completes the order
    Then the order soon is "READY"
    And the order service soon counts at least 1 more order entering "READY"
