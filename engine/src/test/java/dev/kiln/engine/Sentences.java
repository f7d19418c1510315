package dev.kiln.engine;

import java.util.List;

/** Fifty real sentences on five topics, for the similarity-search tests and example. */
final class Sentences {
    private Sentences() {}

    static final List<String> ALL = List.of(
            // cooking
            "Simmer the tomato sauce for twenty minutes before adding fresh basil.",
            "Knead the bread dough until it feels smooth and elastic.",
            "A cast iron pan keeps its heat well when you sear a steak.",
            "Whisk the eggs with a pinch of salt for a fluffy omelette.",
            "Roasting vegetables at high heat caramelizes their natural sugars.",
            "Let the cake cool completely before you spread the frosting.",
            "Toast the cumin seeds in a dry pan to release their aroma.",
            "Fresh pasta cooks in about three minutes in salted boiling water.",
            "Marinate the chicken overnight in yogurt, garlic and lemon.",
            "A sharp knife is safer than a dull one in the kitchen.",
            // astronomy
            "Jupiter is the largest planet in our solar system.",
            "A light year is the distance light travels in one year.",
            "The Moon always shows the same face to the Earth.",
            "Black holes bend light so strongly that nothing escapes them.",
            "Saturn's rings are made mostly of ice and rock.",
            "The James Webb telescope observes the universe in infrared light.",
            "A total solar eclipse happens when the Moon covers the Sun.",
            "Mars has the tallest volcano known in the solar system.",
            "Neutron stars are the collapsed cores of massive stars.",
            "Comets grow bright tails when they approach the Sun.",
            // programming
            "A hash table finds a key in constant time on average.",
            "Garbage collection frees memory that a program no longer uses.",
            "Unit tests catch regressions before code reaches production.",
            "A compiler translates source code into machine instructions.",
            "Recursion solves a problem by solving smaller copies of it.",
            "Version control records every change made to the source files.",
            "A database index speeds up queries that filter on a column.",
            "Threads share memory, so concurrent writes need synchronization.",
            "Sorting a list of a million numbers takes well under a second.",
            "An interpreter runs a program statement by statement.",
            // football
            "The striker scored a header in the last minute of the match.",
            "The goalkeeper saved a penalty to win the cup final.",
            "Both teams were level at half time after a tense first half.",
            "The referee showed a red card for a dangerous tackle.",
            "The midfielder passed the ball through the defense to the winger.",
            "Fans sang in the stadium long after the final whistle.",
            "The coach changed the formation to defend the narrow lead.",
            "A corner kick led to the equalizing goal.",
            "The club signed a young defender during the transfer window.",
            "The league title was decided on goal difference.",
            // weather
            "Heavy rain is expected along the coast tomorrow morning.",
            "A cold front will bring snow to the mountains overnight.",
            "The heat wave pushed temperatures above forty degrees.",
            "Thick fog delayed flights at the airport this morning.",
            "Strong winds knocked down trees across the region.",
            "The forecast promises sunshine for the whole weekend.",
            "A thunderstorm with hail swept through the valley.",
            "Humidity makes the summer heat feel even worse.",
            "Frost covered the fields after a clear, calm night.",
            "The hurricane weakened as it moved over land.");
}
