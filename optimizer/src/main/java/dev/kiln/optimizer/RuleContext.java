package dev.kiln.optimizer;

/** Context available to every rule. */
public record RuleContext(Statistics statistics) {}
