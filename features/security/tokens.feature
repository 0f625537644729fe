@security
Feature: Only tokens the auth service signed open any door
  Every service checks every token itself: the signature with the project's
  key, the algorithm (RS256 only), the issuer, the audience and the expiry.
  Anything else is refused as if there were no token at all.

  Scenario Outline: A token that is not genuine is refused
    Given an anonymous customer
    When the customer lists their orders with a token <forgery>
    Then the answer is 401 "unauthorized"

    Examples:
      | forgery                                        |
      | signed by another key under the project's kid  |
      | that expired an hour ago                       |
      | with the algorithm none                        |
      | whose role its holder changed to employee      |
      | signed with HS256 and the published public key |

  Scenario: A CPF gets a customer token, never an employee's
    Given a registered customer named "Renata"
    When the customer asks for a token with their CPF and the role "employee"
    Then the answer is 400 "invalid_request"
    When the customer asks for a token with their CPF and the staff password
    Then the answer is 400 "invalid_request"
    When the customer opens the kitchen queue with their own token
    Then the answer is 403 "forbidden"
