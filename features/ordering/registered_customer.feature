@ordering
Feature: A registered customer orders, pays by PIX and picks up the food
  A customer who identifies with a CPF orders at the totem, pays the PIX QR
  code, and the order follows the kitchen until it is handed over at the counter.

  Scenario: The whole journey of a registered customer
    Given a registered customer named "Maria"
    When the customer orders:
      | product           | quantity |
      | X-Burguer         | 2        |
      | Refrigerante Lata | 1        |
    Then the order is received with the menu prices
    And the order soon awaits payment with a PIX QR code
    And the customer sees the same QR code on the payment
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the kitchen soon shows the order for "Maria" as "RECEIVED"
    When the kitchen starts preparing the order
    Then the order soon is "IN_PREPARATION"
    When the kitchen completes the order
    Then the order soon is "READY"
    And the kitchen no longer lists the order
    When an employee hands the order over at the counter
    Then the order is "DELIVERED"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID, IN_PREPARATION, READY, DELIVERED"

  Scenario: An order cannot be handed over before it is ready
    Given a registered customer named "Ana"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 1        |
    And the order soon awaits payment with a PIX QR code
    And an employee tries to hand the order over at the counter
    Then the answer is 409 "invalid_transition"
    And the order is "AWAITING_PAYMENT"

  Scenario: A customer identifies with a formatted CPF
    Given a registered customer named "Carla"
    When the customer asks for a token with the CPF formatted with dots and a dash
    Then the customer gets a token in their own name

  Scenario: An order for something not on the menu is refused
    Given a registered customer named "Bruno"
    When the customer orders a product that is not on the menu
    Then the answer is 422 "unknown_product"
