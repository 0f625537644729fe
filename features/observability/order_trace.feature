@observability @in-process
Feature: An order's whole life is one trace
  Someone on call asks where an order spent its time. Every service passes
  the W3C trace context on, across HTTP and the queues, traces its queries
  and its calls to AWS within it, and keeps it with the payment and the
  kitchen record, so that the spans of an order's
  whole life share one trace id, each the child of the span that caused
  it. Mercado Pago's notification comes from outside and starts a trace of
  its own, linked to the order's. The log lines name the trace.

  # The harness keeps every span in memory, in-process only.
  Scenario: From the totem to READY, one trace, with Mercado Pago's notification linked to it
    Given the totem traces its requests
    And a registered customer named "Lia"
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    And the order soon awaits payment with a PIX QR code
    And Mercado Pago approves the payment
    Then the order soon is "PAID"
    When the kitchen starts preparing the order
    And the kitchen completes the order
    Then the order soon is "READY"
    And the order's trace holds a server span of the gateway, child of the totem's span
    And the order's trace holds the span "POST /auth/token" of the auth service, child of a span of the gateway
    And the order's trace holds the span "POST /order" of the order service, child of a span of the gateway
    And the order's trace holds the span "BATCH" of the order service, child of a span of the order
    And the order's trace holds the span "send payment-service-queue" of the order service, child of a span of the order
    And the order's trace holds the span "process order-payment-requested-event" of the payment service, child of a span of the order
    And the order's trace holds the span "POST" of the payment service, child of a span of the payment
    And the order's trace holds the span "DynamoDB.PutItem" of the payment service, child of a span of the payment
    And the order's trace holds the span "process payment-created-event" of the order service, child of a span of the payment
    And the order's trace holds the span "settle payment" of the payment service, child of a span of the payment
    And the span "settle payment" links to the trace of Mercado Pago's notification, which began at the gateway
    And the order's trace holds the span "process order-paid-event" of the production service, child of a span of the order
    And the order's trace holds the span "announce production-completed-event" of the production service, child of a span of the production
    And the order's trace holds the span "process production-completed-event" of the order service, child of a span of the production
    And every span of the order's trace has its parent in the trace, but the gateway's first
    And the order service's log lines about the order carry the trace id
    And the production service's log lines about the order carry the trace id
