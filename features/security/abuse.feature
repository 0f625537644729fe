@security
Feature: No client can flood the system with tokens or unpaid orders
  Each anonymous token costs a signature and each order a PIX charge at
  Mercado Pago: a client address gets at most 60 anonymous tokens a minute,
  and a customer holds at most 5 unpaid orders, however fast they ask.

  Scenario: A customer holds at most five unpaid orders
    Given an anonymous customer
    When the customer places 8 orders at once
    Then 5 orders were placed and 3 refused with 429 "too_many_open_orders"
    And another anonymous customer still can order

  Scenario: Anonymous tokens are limited per client address
    When a totem asks for 61 anonymous tokens in a row
    Then the first 60 were granted and the last refused with 429 "rate_limited"
    And the answer says when to try again
    And another totem still gets an anonymous token

  Scenario: Payment events that cannot be true pay for nothing
    Given a registered customer named "Otávio"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    When a payment-completed event for the order is put on the order service's queue by the kitchen
    And a payment-completed event for the order is put on the order service's queue for 1 centavo
    And a payment-completed event for the order is put on the order service's queue about another payment
    Then the forged events soon are in the dead-letter queue, each with its reason
    And the order is "AWAITING_PAYMENT"
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
