// Which tasks are addressed by the most papers?
MATCH (p:Paper)-[:ADDRESSES]->(t:Task)
RETURN t.name AS task, count(DISTINCT p) AS papers, collect(DISTINCT p.title)[0..3] AS example_papers
ORDER BY papers DESC, task
LIMIT 20
