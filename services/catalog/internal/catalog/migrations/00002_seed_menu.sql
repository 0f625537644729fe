-- +goose Up
-- The starting menu. Ids are fixed so that tests, the sandbox and every
-- environment name the same dishes.
INSERT INTO categories (id, name, description) VALUES
    ('c47e0000-0000-4000-8000-000000000001', 'Lanche',         'Hambúrgueres e sanduíches feitos na hora'),
    ('c47e0000-0000-4000-8000-000000000002', 'Acompanhamento', 'Porções para acompanhar o lanche'),
    ('c47e0000-0000-4000-8000-000000000003', 'Bebida',         'Refrigerantes, sucos e bebidas geladas'),
    ('c47e0000-0000-4000-8000-000000000004', 'Sobremesa',      'Doces para fechar a refeição');

INSERT INTO products (id, name, description, price_cents, image_url, preparation_time, category_id) VALUES
    ('9d0d0000-0000-4000-8000-000000000011', 'X-Burguer',
     'Pão brioche, hambúrguer bovino de 150 g e queijo prato', 2290,
     'https://images.comanda.local/products/x-burguer.jpg', 12, 'c47e0000-0000-4000-8000-000000000001'),
    ('9d0d0000-0000-4000-8000-000000000012', 'X-Salada',
     'Hambúrguer bovino de 150 g, queijo prato, alface, tomate e maionese da casa', 2490,
     'https://images.comanda.local/products/x-salada.jpg', 12, 'c47e0000-0000-4000-8000-000000000001'),
    ('9d0d0000-0000-4000-8000-000000000013', 'X-Bacon',
     'Hambúrguer bovino de 150 g, queijo cheddar e bacon crocante', 2790,
     'https://images.comanda.local/products/x-bacon.jpg', 14, 'c47e0000-0000-4000-8000-000000000001'),
    ('9d0d0000-0000-4000-8000-000000000014', 'X-Tudo',
     'Dois hambúrgueres, bacon, ovo, presunto, queijo, alface, tomate e milho', 3290,
     'https://images.comanda.local/products/x-tudo.jpg', 18, 'c47e0000-0000-4000-8000-000000000001'),
    ('9d0d0000-0000-4000-8000-000000000021', 'Batata Frita',
     'Porção média de batata frita crocante com sal', 1290,
     'https://images.comanda.local/products/batata-frita.jpg', 8, 'c47e0000-0000-4000-8000-000000000002'),
    ('9d0d0000-0000-4000-8000-000000000022', 'Onion Rings',
     'Anéis de cebola empanados, com molho barbecue', 1490,
     'https://images.comanda.local/products/onion-rings.jpg', 8, 'c47e0000-0000-4000-8000-000000000002'),
    ('9d0d0000-0000-4000-8000-000000000023', 'Nuggets (10 unidades)',
     'Empanados de frango com molho mostarda e mel', 1690,
     'https://images.comanda.local/products/nuggets.jpg', 9, 'c47e0000-0000-4000-8000-000000000002'),
    ('9d0d0000-0000-4000-8000-000000000031', 'Refrigerante Lata',
     'Lata de 350 ml bem gelada', 650,
     'https://images.comanda.local/products/refrigerante-lata.jpg', 1, 'c47e0000-0000-4000-8000-000000000003'),
    ('9d0d0000-0000-4000-8000-000000000032', 'Suco de Laranja',
     'Suco natural de laranja, 500 ml', 990,
     'https://images.comanda.local/products/suco-de-laranja.jpg', 4, 'c47e0000-0000-4000-8000-000000000003'),
    ('9d0d0000-0000-4000-8000-000000000033', 'Água Mineral',
     'Garrafa de 500 ml, com ou sem gás', 450,
     'https://images.comanda.local/products/agua-mineral.jpg', 1, 'c47e0000-0000-4000-8000-000000000003'),
    ('9d0d0000-0000-4000-8000-000000000034', 'Milkshake de Chocolate',
     'Sorvete de baunilha batido com calda de chocolate, 400 ml', 1690,
     'https://images.comanda.local/products/milkshake-chocolate.jpg', 5, 'c47e0000-0000-4000-8000-000000000003'),
    ('9d0d0000-0000-4000-8000-000000000041', 'Sorvete',
     'Duas bolas de sorvete de creme com calda à escolha', 890,
     'https://images.comanda.local/products/sorvete.jpg', 2, 'c47e0000-0000-4000-8000-000000000004'),
    ('9d0d0000-0000-4000-8000-000000000042', 'Petit Gâteau',
     'Bolinho de chocolate com recheio cremoso e sorvete de creme', 1890,
     'https://images.comanda.local/products/petit-gateau.jpg', 10, 'c47e0000-0000-4000-8000-000000000004'),
    ('9d0d0000-0000-4000-8000-000000000043', 'Pudim de Leite',
     'Fatia de pudim de leite condensado com calda de caramelo', 990,
     'https://images.comanda.local/products/pudim-de-leite.jpg', 2, 'c47e0000-0000-4000-8000-000000000004');

-- +goose Down
DELETE FROM products WHERE id::text LIKE '9d0d0000-0000-4000-8000-0000000000%';
DELETE FROM categories WHERE id::text LIKE 'c47e0000-0000-4000-8000-00000000000%';
