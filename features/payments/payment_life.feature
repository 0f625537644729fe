@payment
Feature: A payment's whole life at Mercado Pago, before and after the money
  Before the money arrives, Mercado Pago may hold a payment under review or
  authorized; after it, the payer may dispute it, or the money may be
  charged back or refunded, in part or whole. Only the money arriving pays
  an order. Money going back after an order was paid is recorded on the
  payment for the back office, and the order, already cooking, stays paid.

  Scenario Outline: A payment Mercado Pago <holds> does not pay the order until it is approved
    Given an anonymous customer
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago <holds>
    Then every notification Mercado Pago sent about the payment was accepted
    And the order is "AWAITING_PAYMENT"
    And the payment is "PENDING"
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"

    Examples:
      | holds                         |
      | puts the payment under review |
      | authorizes the payment        |

  Scenario Outline: Money going back after the order was paid is recorded, and the order stays paid
    Given a registered customer named "Valéria"
    When the customer orders:
      | product      | quantity |
      | Batata Frita | 2        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    Then the order soon is "PAID"
    When Mercado Pago <reverses>
    Then every notification Mercado Pago sent about the payment was accepted
    And the payment service recorded the <reversal> on the approved payment
    And the payment is "APPROVED"
    And the order is "PAID"
    And the order history is "RECEIVED, AWAITING_PAYMENT, PAID"
    And the kitchen soon has exactly one record of the order

    Examples:
      | reverses                        | reversal           |
      | charges back the payment        | charged_back       |
      | opens a dispute on the payment  | in_mediation       |
      | refunds part of the payment     | partially_refunded |
      | refunds the payment             | refunded           |

  Scenario Outline: A payment refused for any of Mercado Pago's reasons cancels the order
    Given an anonymous customer
    When the customer orders:
      | product           | quantity |
      | Refrigerante Lata | 1        |
    And the order soon awaits payment with a PIX QR code
    When Mercado Pago rejects the payment because "<reason>"
    Then the order soon is "CANCELLED"
    And the payment is "REJECTED"
    And the order was cancelled because "<reason>"
    And the kitchen never receives the order

    Examples:
      | reason                     |
      | rejected_insufficient_data |
      | rejected_high_risk         |
      | rejected_by_regulations    |

  # Payload drift changes every answer of the shared Mercado Pago, so this
  # scenario runs alone.
  @serial
  Scenario: Mercado Pago's untidy answers still make a QR code and pay the order
    Given Mercado Pago answers with the liberties its real API takes
    And a registered customer named "Jurema"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order soon awaits payment with a PIX QR code
    When Mercado Pago approves the payment
    Then every notification Mercado Pago sent about the payment was accepted
    And the order soon is "PAID"
    And the payment is "APPROVED"
    And the kitchen soon has exactly one record of the order
