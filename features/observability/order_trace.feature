@observability @in-process
Feature: An order's journey is one trace
  Someone on call asks where an order spent its time. Every service passes
  the W3C trace context on, so the spans of every hop of a request share
  one trace id, each the child of the span that called it, and the log
  lines name the trace.

  # The harness keeps every span in memory, in-process only.
  Scenario: Placing an order is one trace from the totem through the gateway to the order service
    Given a registered customer named "Lia"
    And the totem traces its requests
    When the customer orders:
      | product   | quantity |
      | X-Burguer | 1        |
    Then the order's trace holds a server span of the gateway, child of the totem's span
    And the order's trace holds the span "POST /order" of the order service, child of a span of the gateway
    And every span of the order's trace has its parent in the trace, but the gateway's first
    And the order service's log lines about the order carry the trace id
