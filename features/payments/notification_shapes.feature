@payment
Feature: Mercado Pago's notifications come in several shapes; only signed ones count
  Mercado Pago does not send every notification the same way: some repeat an
  earlier attempt byte for byte, some sign a time in milliseconds, some have
  no x-request-id, some use the older IPN shape, and some are about the
  payment's merchant order. The payment service accepts every shape Mercado
  Pago signs, and refuses every one signed with another secret.

  Scenario Outline: A notification in another of Mercado Pago's shapes pays the order, and a forged one is refused
    Given an anonymous customer
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 1        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago sends the payment's notifications <shape>
    And Mercado Pago approves the payment
    Then every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    When someone forges the payment's notification in the same shape
    Then the forged notification was refused
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the kitchen soon has exactly one record of the order

    Examples:
      | shape                                                     |
      | with retries that repeat the first attempt byte for byte |
      | with the signature's time in milliseconds                 |
      | without an x-request-id                                   |
      | with the payment id in upper case                         |
      | in the older IPN shape, with a topic instead of a type    |
      | each followed by a notification of its merchant order     |

  Scenario: A notification replayed byte for byte is acknowledged, not processed again
    Given a registered customer named "Benedita"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago sends the payment's notifications with retries that repeat the first attempt byte for byte
    And Mercado Pago approves the payment
    Then every notification Mercado Pago sent about the payment was accepted
    When Mercado Pago sends the payment's last notification again 2 times
    Then every notification Mercado Pago sent about the payment was accepted
    And the payment service recognised 2 notifications as replays
    And the order soon is "PAID"
    And the kitchen soon has exactly one record of the order

  # Moving Mercado Pago's clock by hours expires every pending payment, so
  # this scenario runs alone.
  @serial
  Scenario: The payment service is down for hours, and Mercado Pago's retries still pay the order once
    Given Mercado Pago retries notifications on its own schedule
    And a registered customer named "Heloísa"
    When the customer orders:
      | product | quantity |
      | Sorvete | 1        |
    And the order soon awaits payment with a PIX QR code
    And the payment service crashes
    And Mercado Pago approves the payment
    Then Mercado Pago soon has tried to deliver the approval 1 time
    When 2 hours pass at Mercado Pago
    Then Mercado Pago soon has tried to deliver the approval 3 times
    When the payment service is started again
    And 2 days pass at Mercado Pago
    Then Mercado Pago soon has tried to deliver the approval 4 times
    And every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the kitchen soon has exactly one record of the order
