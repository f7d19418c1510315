package dev.kiln.engine.cli;

/** Runs the CLI from tests in other packages. */
public final class CliAccess {
    private CliAccess() {}

    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        CliTest.Run r = CliTest.kiln(args);
        return new Run(r.code(), r.out(), r.err());
    }
}
