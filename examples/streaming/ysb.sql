-- The Yahoo Streaming Benchmark query over generated events (./kiln stream -f examples/streaming/ysb.sql).
-- 2 million YSB events as JSON lines in memory, revealed at 200,000 per second of wall time; the
-- connector also registers the campaigns table (ad_id -> campaign_id) that the events join.
CREATE STREAM events WITH (connector = 'ysb', events = '2000000', rate = '200000', watermark = '1 second');

CREATE SINK counts WITH (connector = 'memory', output_mode = 'update', trigger = '100 ms');

INSERT INTO counts
SELECT c.campaign_id, TUMBLE_START(e.event_time, INTERVAL '10' SECOND) AS window_start, count(*) AS events
FROM events e JOIN campaigns c ON e.ad_id = c.ad_id
WHERE e.event_type = 'view'
GROUP BY c.campaign_id, TUMBLE(e.event_time, INTERVAL '10' SECOND);
