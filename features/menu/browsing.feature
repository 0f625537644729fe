@menu
Feature: Browsing and keeping up the menu
  Anyone can browse the menu; only staff can change it.

  Scenario: The menu has the four categories, each with products
    When a visitor browses the menu
    Then the categories are "Lanche, Acompanhamento, Bebida, Sobremesa"
    And every category has at least 2 products

  Scenario: Filtering the menu by category
    When a visitor filters the menu by the category "Bebida"
    Then every product shown is in the category "Bebida"

  Scenario: Staff add a product and customers see it
    When an employee adds a product to the category "Sobremesa" priced at 12.5
    Then a visitor finds the new product on the menu priced at 12.5
    When an employee adds the same product again
    Then the answer is 409 "product_exists"

  Scenario: A customer cannot change the menu
    Given an anonymous customer
    When the customer tries to add a product to the menu
    Then the answer is 403 "forbidden"
