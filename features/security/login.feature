@security
Feature: Guessing an employee's password gets nowhere
  Failed logins are counted per email and per client address; past the
  limit the answer is 429 until the window slides, whatever the password.

  Scenario: Wrong passwords for one email are cut off
    Given an employee email no one has used yet
    When someone tries a wrong password for it 5 times
    Then every try was refused with 401 "invalid_credentials"
    When someone tries a wrong password for it once more
    Then the answer is 429 "rate_limited"
    And the answer says when to try again
