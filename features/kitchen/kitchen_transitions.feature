@kitchen
Feature: The kitchen moves paid orders from received to completed
  The kitchen starts and completes orders in order; a step out of turn is refused.

  Background:
    Given a registered customer named "Rafa"
    And the customer has a paid order for:
      | product      | quantity |
      | X-Burguer    | 1        |
      | Batata Frita | 1        |

  Scenario: An order cannot be completed before it is started
    When the kitchen tries to complete the order
    Then the answer is 409 "invalid_transition"
    And the kitchen shows the order as "RECEIVED"

  Scenario: An order cannot be started twice
    When the kitchen starts preparing the order
    And the kitchen tries to start the order again
    Then the answer is 409 "invalid_transition"
    And the kitchen shows the order as "IN_PREPARATION"

  Scenario: The kitchen list is oldest first and only for staff
    Given a registered customer named "Tati"
    And the customer has a paid order for:
      | product  | quantity |
      | Sorvete  | 2        |
    Then the kitchen lists "Rafa"'s order before "Tati"'s
    And a customer cannot see the kitchen list
