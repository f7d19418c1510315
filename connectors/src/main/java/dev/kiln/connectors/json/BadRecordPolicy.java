package dev.kiln.connectors.json;

/** What a reader does with a record it cannot turn into a row. */
public enum BadRecordPolicy {
    /** Stop at the first bad record: a {@code KilnException} naming name:line:column and the reason. */
    FAIL,
    /** Leave the record out of the rows and return it as a {@code BadRecord}, with where and why. */
    SKIP_AND_REPORT
}
