@ordering
Feature: An anonymous customer orders without identifying
  The totem lets anyone order without a CPF; the order is still theirs alone.

  Scenario: An anonymous customer orders and pays
    Given an anonymous customer
    When the customer orders:
      | product         | quantity |
      | X-Salada        | 1        |
      | Suco de Laranja | 2        |
    Then the order is received with the menu prices
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the customer's order list shows the order as "PAID"

  Scenario: Every anonymous visit is a different customer
    Given an anonymous customer
    And another anonymous customer
    Then the two anonymous customers have different ids
