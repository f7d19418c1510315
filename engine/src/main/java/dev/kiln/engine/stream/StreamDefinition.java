package dev.kiln.engine.stream;

import dev.kiln.runtime.stream.StreamSource;
import java.util.OptionalInt;

/**
 * A stream registered in a session: where its rows come from, which column is its event time and
 * how far behind the newest event time the watermark stays.
 *
 * @param eventTime      the TIMESTAMP column the watermark follows, if any
 * @param delayMicros    the watermark is the newest event time seen minus this (rows older than the
 *                       watermark are late)
 */
public record StreamDefinition(String name, StreamSource source, OptionalInt eventTime, long delayMicros, BadRecordPolicy badRecords) {}
