// Which datasets are used for experiments together with a method (in the same paper)?
// To ask about one method: add  WHERE toLower(m.name) = toLower($method)  and pass --param method=LoRA.
MATCH (p:Paper)-[:USES|PROPOSES]->(m:Method)
MATCH (p)-[:EVALUATES_ON|USES|PROPOSES]->(d:Dataset)
RETURN m.name AS method, d.name AS dataset, count(DISTINCT p) AS papers,
       collect(DISTINCT p.title)[0..3] AS example_papers
ORDER BY papers DESC, method, dataset
