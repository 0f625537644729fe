@privacy
Feature: A customer sees only their own orders and payments
  Orders and payments belong to the customer who placed them; anyone else is
  told they do not exist, so ids cannot be probed.

  Scenario: One customer cannot see another's order
    Given a registered customer named "Julia"
    And the customer orders:
      | product   | quantity |
      | X-Salada  | 1        |
    And the order soon awaits payment with a PIX QR code
    And a registered customer named "Marcos"
    When "Marcos" looks up "Julia"'s order
    Then the answer is 404 "order_not_found"
    When "Marcos" looks up the payment of "Julia"'s order
    Then the answer is 404 "payment_not_found"
    And "Marcos"'s order list does not include "Julia"'s order
    But an employee can see "Julia"'s order

  Scenario: Without a token nobody can order
    When a visitor without a token tries to order
    Then the answer is 401 "unauthorized"
