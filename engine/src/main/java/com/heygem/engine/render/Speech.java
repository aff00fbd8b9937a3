package com.heygem.engine.render;

import com.heygem.engine.media.AudioClip;
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

    public static Speech load(Path path, MediaLimits limits) {
        AudioClip clip = AudioReader.readForAnalysis(path, limits);
        return new Speech(path, clip.durationSeconds(), SpeechAnalyzer.analyze(clip));
    }
}
