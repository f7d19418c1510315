-- Semantic search over a text table with all-MiniLM-L6-v2 sentence embeddings, in SQL.
--   examples/models/fetch-minilm.sh   (once: the model and its tokenizer into ~/.cache/kiln/models/minilm; ./kiln test does it too)
--   ./kiln sql --table docs=examples/text/docs.csv -f examples/text/similarity.sql
-- The tokenizer (WordPiece), the transformer, mean pooling over the attention mask and L2
-- normalization are one graph: EMBED(minilm, text) is a float32[384] per row, as
-- sentence-transformers computes it.
CREATE MODEL minilm FROM '~/.cache/kiln/models/minilm/all-minilm-l6-v2.onnx' WITH (
    tokenizer = '~/.cache/kiln/models/minilm/all-minilm-l6-v2-tokenizer.json',
    max_length = 128, pooling = 'mean', normalize = 'true');

SELECT s, cosine_similarity(EMBED(minilm, s), EMBED(minilm, 'Which planet has rings of ice?')) AS sim
FROM docs
ORDER BY sim DESC
LIMIT 5;
