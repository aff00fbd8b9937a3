package com.heygem.engine.quality;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.Timeline;
import com.heygem.engine.render.LowerFace;
import com.heygem.engine.render.RenderPreview;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.template.TurnPoints;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A PNG of {@link #FRAMES} consecutive output frames zoomed on the jaw, above the template frames
 * behind them: where jumps between mouths, a second jaw line or a smear beside the cheek show,
 * which a contact sheet of moments far apart cannot.
 */
public final class JawStrip {
    public static final int FRAMES = 8;
    static final int CELL = 200;
    static final int LABEL = 18;

    private JawStrip() {
    }

    /**
     * @param first first output frame of the strip (moved back so that {@link #FRAMES} fit)
     */
    public static void write(Path output, Path template, TemplateProfile tp, int outputFrames, int first, Path png,
            MediaLimits limits) throws IOException {
        double fps = tp.summary().fps();
        Timeline timeline = TurnPoints.timeline(tp, Math.max(1, outputFrames) / fps, LoopMode.PING_PONG);
        int start = Math.max(0, Math.min(first, timeline.length() - FRAMES));
        int count = Math.min(FRAMES, timeline.length() - start);
        int[] outFrames = new int[count];
        int[] backgrounds = new int[count];
        for (int i = 0; i < count; i++) {
            outFrames[i] = start + i;
            backgrounds[i] = timeline.sourceFrame(start + i);
        }
        BufferedImage[] top = RenderPreview.grab(output, outFrames, limits);
        BufferedImage[] bottom = RenderPreview.grab(template, backgrounds, limits);
        // One window for the whole strip, so motion between frames is visible as motion.
        float[] p = new float[Landmarks.VALUES];
        double cx = 0;
        double cy = 0;
        double view = 0;
        int faces = 0;
        for (int b : backgrounds) {
            if (tp.facePresent()[b]) {
                tp.landmarks(b, p);
                cx += Landmarks.x(p, 8) * 0.6 + Landmarks.x(p, 57) * 0.4;
                cy += Landmarks.y(p, 8) * 0.6 + Landmarks.y(p, 57) * 0.4;
                view += 0.75 * LowerFace.faceWidth(p);
                faces++;
            }
        }
        if (faces == 0) {
            cx = tp.summary().width() / 2.0;
            cy = tp.summary().height() / 2.0;
            view = Math.max(tp.summary().width(), tp.summary().height());
        } else {
            cx /= faces;
            cy /= faces;
            view /= faces;
        }
        BufferedImage sheet = new BufferedImage(count * CELL, 2 * (CELL + LABEL) + LABEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(24, 24, 28));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.WHITE);
        g.drawString(output.getFileName() + "  frames " + start + "-" + (start + count - 1)
                + "  (top: result, bottom: template frame behind it)", 6, 13);
        double scale = CELL / view;
        for (int i = 0; i < count; i++) {
            for (int row = 0; row < 2; row++) {
                BufferedImage img = row == 0 ? top[i] : bottom[i];
                int x0 = i * CELL;
                int y0 = LABEL + row * (CELL + LABEL);
                g.setColor(Color.LIGHT_GRAY);
                g.drawString(row == 0 ? String.format(Locale.ROOT, "#%d", outFrames[i])
                        : String.format(Locale.ROOT, "template #%d", backgrounds[i]), x0 + 4, y0 + 13);
                if (img == null) {
                    continue;
                }
                RenderPreview.drawZoomed(g, img, x0, y0 + LABEL, CELL, cx, cy, scale);
            }
        }
        g.dispose();
        RenderPreview.writePng(sheet, png);
    }
}
