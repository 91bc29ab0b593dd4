// Which hardware is used to train or run models of a family?
// A model's family is the first word of its name ("LLaMA-2-70B" -> "llama") or,
// when it is BASED_ON another model, that model's family.
MATCH (p:Paper)-[:PROPOSES|USES]->(m:Model)
MATCH (p)-[h:USES_HARDWARE]->(hw:Hardware)
OPTIONAL MATCH (m)-[:BASED_ON]->(base:Model)
WITH p, h, hw, coalesce(base.name, m.name) AS root
WITH p, h, hw, toLower(split(replace(root, ' ', '-'), '-')[0]) AS family
RETURN family, hw.name AS hardware, count(DISTINCT p) AS papers, max(h.count) AS max_count,
       collect(DISTINCT h.purpose) AS purposes
ORDER BY papers DESC, family, hardware
