package com.heygem.engine.render;

import com.heygem.engine.media.AudioDecoder;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.speech.SpeechAnalyzer;
import com.heygem.engine.speech.SpeechFeatures;
import java.nio.file.Path;

/**
 * The new sound, analysed once and shared by every template of a batch.
 *
 * @param path     the file, decoded again at output quality when muxing
 * @param seconds  its duration
 * @param features its speech features
 */
public record Speech(Path path, double seconds, SpeechFeatures features) {

    /**
     * Decodes and analyses {@code path} as it is read: memory is the features' own (about 70 MB
     * for two hours), never the whole sound's samples.
     */
    public static Speech load(Path path, MediaLimits limits) {
        int rate = AudioReader.ANALYSIS_RATE;
        try (AudioDecoder decoder = AudioDecoder.open(path, limits, rate, 1)) {
            double announced = decoder.mediaInfo().audio().map(a -> a.durationSeconds()).orElse(0.0);
            long[] read = {0};
            SpeechFeatures features = SpeechAnalyzer.analyze((into, offset, max) -> {
                int n = decoder.read(into, offset, max);
                read[0] += n;
                return n;
            }, rate, Double.isFinite(announced) ? (long) (announced * rate * 1.005) + rate : 0); // estimates err
            return new Speech(path, read[0] / (double) rate, features);
        }
    }
}
