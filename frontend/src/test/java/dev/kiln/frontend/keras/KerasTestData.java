package dev.kiln.frontend.keras;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Keras tests find what examples/models/fetch-nsfwjs.sh puts in the cache
 * (${KILN_CACHE:-~/.cache/kiln}, or -Dkiln.cache): nsfwjs's models, scikit-image's photos and the
 * TensorFlow.js oracle. Missing parts make the tests that need them skip, saying how to get them.
 */
final class KerasTestData {
    static final String FETCH = "run examples/models/fetch-nsfwjs.sh (./kiln test does) to fetch it";

    private KerasTestData() {}

    static Path cache() {
        String dir = System.getProperty("kiln.cache", System.getenv("KILN_CACHE"));
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "kiln");
    }

    static Path nsfwjsModel(String name) {
        return cache().resolve("models/nsfwjs-4.4.0").resolve(name).resolve("model.json");
    }

    static Path photo(String name) {
        return cache().resolve("data/skimage-0.19.3").resolve(name);
    }

    static Path oracleModules() {
        return cache().resolve("node/keras-oracle/node_modules");
    }

    /** Why a file the test needs is not usable, if it is not. */
    static Optional<String> missing(Path file) {
        return Files.isRegularFile(file) ? Optional.empty() : Optional.of(file + " is missing; " + FETCH);
    }
}
