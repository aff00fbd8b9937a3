package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.Images;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.sync.RenderPlan;
import com.heygem.engine.template.TemplateProfile;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG comparing template and result at a few moments of speech: top row the template frame
 * behind the output, bottom row the output, both zoomed on the lower face, where a viewer looks
 * for seams, colour jumps, double chins and smeared teeth.
 */
public final class RenderPreview {
    static final int COLUMNS = 6;
    static final int CELL = 240;
    static final int LABEL = 20;

    private RenderPreview() {
    }

    public static void write(Path template, TemplateProfile profile, Path output, RenderPlan plan, Speech speech,
            Path png, MediaLimits limits) throws IOException {
        int[] picks = picks(plan, speech);
        BufferedImage sheet = new BufferedImage(COLUMNS * CELL, 2 * (CELL + LABEL) + LABEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(24, 24, 28));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.WHITE);
        g.drawString(profile.summary().fileName() + "  +  " + speech.path().getFileName() + "   (top: template, bottom: result)",
                6, 15);
        int[] backgrounds = new int[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            backgrounds[c] = plan.background()[picks[c]];
        }
        BufferedImage[] top = grab(template, backgrounds, limits);
        BufferedImage[] bottom = grab(output, picks, limits);
        float[] p = new float[Landmarks.VALUES];
        for (int c = 0; c < COLUMNS; c++) {
            int b = backgrounds[c];
            double cx = profile.summary().width() / 2.0;
            double cy = profile.summary().height() / 2.0;
            double view = Math.max(profile.summary().width(), profile.summary().height());
            if (profile.facePresent()[b]) {
                profile.landmarks(b, p);
                cx = Landmarks.x(p, 62);
                cy = Landmarks.y(p, 62) + 0.1 * LowerFace.faceWidth(p);
                view = 1.25 * LowerFace.faceWidth(p);
            }
            for (int row = 0; row < 2; row++) {
                BufferedImage img = row == 0 ? top[c] : bottom[c];
                int x0 = c * CELL;
                int y0 = LABEL + row * (CELL + LABEL);
                g.setColor(Color.LIGHT_GRAY);
                String label = row == 0 ? String.format(Locale.ROOT, "template #%d", b)
                        : String.format(Locale.ROOT, "%.2f s  mouth #%d", picks[c] / plan.fps(), plan.source()[picks[c]]);
                g.drawString(label, x0 + 4, y0 + 15);
                if (img == null) {
                    continue;
                }
                drawZoomed(g, img, x0, y0 + LABEL, CELL, cx, cy, CELL / view);
            }
        }
        g.dispose();
        writePng(sheet, png);
    }

    /**
     * Draws {@code img} scaled by {@code scale} into the {@code cell}-pixel square at (x0, y0), the
     * image point (cx, cy) at the square's centre, clipped to the square.
     */
    public static void drawZoomed(Graphics2D g, BufferedImage img, int x0, int y0, int cell, double cx, double cy,
            double scale) {
        java.awt.Shape clip = g.getClip();
        g.setClip(x0, y0, cell, cell);
        g.drawImage(img, (int) Math.round(x0 + cell / 2.0 - cx * scale), (int) Math.round(y0 + cell / 2.0 - cy * scale),
                (int) Math.round(img.getWidth() * scale), (int) Math.round(img.getHeight() * scale), null);
        g.setClip(clip);
    }

    /** Writes {@code sheet} as a PNG file. */
    public static void writePng(BufferedImage sheet, Path png) throws IOException {
        if (!ImageIO.write(sheet, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    /** Frames spread over the speech, preferring open-mouth moments where differences show. */
    static int[] picks(RenderPlan plan, Speech speech) {
        int n = plan.length();
        int[] speaking = new int[n];
        int count = 0;
        for (int t = 0; t < n; t++) {
            int h = speech.features().frameAt(t / plan.fps());
            if (speech.features().speech(h) && plan.source()[t] >= 0) {
                speaking[count++] = t;
            }
        }
        int[] picks = new int[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            picks[c] = count == 0 ? (int) ((n - 1) * (c + 0.5) / COLUMNS) : speaking[(int) ((count - 1) * (c + 0.5) / COLUMNS)];
        }
        return picks;
    }

    /** The given frames of a video (any order, repeats allowed), decoded in one pass. */
    public static BufferedImage[] grab(Path video, int[] frames, MediaLimits limits) {
        BufferedImage[] out = new BufferedImage[frames.length];
        int last = Arrays.stream(frames).max().orElse(-1);
        BgrImage frame = new BgrImage();
        try (VideoReader reader = VideoReader.open(video, limits, 0)) {
            for (int f = 0; f <= last && reader.read(frame); f++) {
                BufferedImage img = null;
                for (int i = 0; i < frames.length; i++) {
                    if (frames[i] == f) {
                        img = img == null ? Images.toBufferedImage(frame) : img;
                        out[i] = img;
                    }
                }
            }
        }
        return out;
    }
}
