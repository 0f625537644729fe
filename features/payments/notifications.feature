@payment
Feature: Mercado Pago's notifications change an order once, however they arrive
  Mercado Pago may send a notification more than once, late, or out of order.
  The payment service reads the payment back from Mercado Pago every time, so
  only the payment's real state counts, and it counts once.

  Scenario: A notification sent three times pays the order once
    Given a registered customer named "Rita"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment and sends its notification 3 times
    Then every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the kitchen soon has exactly one record of the order

  Scenario: A late notification of the pending payment does not undo the approval
    Given a registered customer named "Tomás"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 2        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    When Mercado Pago sends the payment's first notification again, late
    Then every notification Mercado Pago sent about the payment was accepted
    And the payment is "APPROVED"
    And the order is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"

  Scenario: Notifications delivered newest first pay the order once
    Given an anonymous customer
    When the customer orders:
      | product           | quantity |
      | Refrigerante Lata | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    And Mercado Pago sends every notification about the payment again, newest first
    Then every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the kitchen soon has exactly one record of the order
