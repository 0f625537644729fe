@security
Feature: Customers reach only what is theirs
  The kitchen and the menu's upkeep are for employees; an order and its
  payment are for their customer and the staff, and to anyone else they do
  not exist, so their ids cannot be probed.

  Scenario Outline: Kitchen and menu upkeep are closed to customers
    Given an anonymous customer
    When the customer sends <method> <path>
    Then the answer is 403 "forbidden"

    Examples:
      | method | path                       |
      | GET    | /production                |
      | GET    | /production/{id}           |
      | PUT    | /production/{id}/started   |
      | PUT    | /production/{id}/completed |
      | POST   | /products                  |
      | PUT    | /products/{id}             |
      | DELETE | /products/{id}             |
      | PUT    | /order/{id}/delivered      |

  Scenario: Another customer's order and payment do not exist, by any id
    Given a registered customer named "Helena"
    And the customer orders:
      | product | quantity |
      | X-Bacon | 1        |
    And the order soon awaits payment with a PIX QR code
    And an anonymous customer
    When "anonymous #1" looks up "Helena"'s order
    Then the answer is 404 "order_not_found"
    When "anonymous #1" looks up the payment of "Helena"'s order
    Then the answer is 404 "payment_not_found"
    When "anonymous #1" looks up "Helena"'s payment by its id
    Then the answer is 404 "payment_not_found"
