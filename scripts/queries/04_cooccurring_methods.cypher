// Which methods co-occur in the same papers?
MATCH (p:Paper)-[:USES|PROPOSES]->(a:Method)
MATCH (p)-[:USES|PROPOSES]->(b:Method)
WHERE a.id < b.id
RETURN a.name AS method_a, b.name AS method_b, count(DISTINCT p) AS papers
ORDER BY papers DESC, method_a, method_b
LIMIT 50
