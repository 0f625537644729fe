@security
Feature: Guessing an employee's password gets nowhere, and locks nobody out
  Failed logins are limited per email from one client address and per
  address, taken before the password is checked, however many arrive at
  once. The client address is the one the edge saw: headers a client writes
  change nothing. Someone else's failures never stop the employee who gives
  the right password from another address.

  Scenario: Wrong passwords for one email are cut off
    Given an employee email no one has used yet
    When someone tries a wrong password for it 5 times
    Then every try was refused with 401 "invalid_credentials"
    When someone tries a wrong password for it once more
    Then the answer is 429 "rate_limited"
    And the answer says when to try again

  Scenario: Guesses sent all at once get no more checks than the limit
    When someone sends 60 wrong passwords for the employee at once
    Then at most 5 of them were checked against the password
    And the others were refused with 429 "rate_limited"
    And the employee still logs in with the right password from another address

  Scenario: Claiming another address in a header does not dodge the limit
    Given someone has tried wrong passwords for the employee until refused
    When they try again claiming other addresses in every header a proxy might set
    Then the answer is 429 "rate_limited"
    And the employee still logs in with the right password from another address
