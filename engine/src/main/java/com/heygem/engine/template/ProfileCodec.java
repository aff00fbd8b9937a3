package com.heygem.engine.template;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The body of a profile file, after the store's header. Field order is the format: change VERSION with it. */
final class ProfileCodec {
    private ProfileCodec() {
    }

    static void write(TemplateProfile p, DataOutputStream out) throws IOException {
        TemplateProfile.Summary s = p.summary();
        out.writeUTF(s.fileName());
        out.writeInt(s.width());
        out.writeInt(s.height());
        out.writeDouble(s.fps());
        out.writeInt(s.frames());
        out.writeDouble(s.durationSeconds());
        out.writeBoolean(s.hasAudio());
        out.writeDouble(s.voicedFraction());
        out.writeDouble(s.faceFraction());
        out.writeDouble(s.faceSidePixels());
        out.writeInt(s.maxFaces());
        floats(out, s.mouthLow());
        floats(out, s.mouthHigh());
        out.writeDouble(s.largeTurnFraction());
        out.writeDouble(s.rigidJitterRaw());
        out.writeDouble(s.rigidJitterSmoothed());
        out.writeDouble(s.analysisSeconds());
        out.writeInt(p.facePresent().length);
        for (boolean b : p.facePresent()) {
            out.writeBoolean(b);
        }
        floats(out, p.landmarks());
        floats(out, p.transforms());
        floats(out, p.mouth());
        floats(out, p.eyeAspect());
        floats(out, p.yaw());
        for (int f = 0; f < p.frames(); f++) {
            // Two flags a frame in one byte.
            out.writeByte((p.cutBefore()[f] ? 1 : 0) | (p.mouthCovered()[f] ? 2 : 0));
        }
        out.writeBoolean(p.ownSpeech() != null);
        if (p.ownSpeech() != null) {
            p.ownSpeech().write(out);
        }
    }

    static TemplateProfile read(DataInputStream in, String contentHash) throws IOException {
        String name = in.readUTF();
        int width = in.readInt();
        int height = in.readInt();
        double fps = in.readDouble();
        int frames = in.readInt();
        double duration = in.readDouble();
        boolean hasAudio = in.readBoolean();
        double voiced = in.readDouble();
        double faceFraction = in.readDouble();
        double faceSide = in.readDouble();
        int maxFaces = in.readInt();
        float[] low = floats(in);
        float[] high = floats(in);
        double turns = in.readDouble();
        double jitterRaw = in.readDouble();
        double jitterSmoothed = in.readDouble();
        double seconds = in.readDouble();
        int n = in.readInt();
        if (n != frames || n < 0) {
            throw new IOException("frame count " + n + " does not match " + frames);
        }
        boolean[] present = new boolean[n];
        for (int i = 0; i < n; i++) {
            present[i] = in.readBoolean();
        }
        float[] landmarks = floats(in);
        float[] transforms = floats(in);
        float[] mouth = floats(in);
        float[] eyes = floats(in);
        float[] yaw = floats(in);
        boolean[] cuts = new boolean[n];
        boolean[] covered = new boolean[n];
        for (int i = 0; i < n; i++) {
            int flags = in.readByte();
            cuts[i] = (flags & 1) != 0;
            covered[i] = (flags & 2) != 0;
        }
        if (landmarks.length != n * 136 || transforms.length != n * 4 || mouth.length != n * MouthDescriptor.SIZE
                || eyes.length != n || yaw.length != n) {
            throw new IOException("per-frame arrays do not match " + n + " frames");
        }
        TemplateProfile.Summary summary = new TemplateProfile.Summary(name, width, height, fps, frames, duration,
                hasAudio, voiced, faceFraction, faceSide, maxFaces, low, high, turns, jitterRaw, jitterSmoothed, seconds,
                ProfileWarnings.of(faceFraction, faceSide, maxFaces, turns, low, high, covered, fps));
        com.heygem.engine.speech.SpeechFeatures own = in.readBoolean()
                ? com.heygem.engine.speech.SpeechFeatures.read(in) : null;
        return new TemplateProfile(contentHash, present, landmarks, transforms, mouth, eyes, yaw, cuts, covered, summary,
                own);
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] floats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 200_000_000) {
            throw new IOException("bad array length " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
