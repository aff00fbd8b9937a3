package com.heygem.engine.template;

import com.heygem.engine.face.FaceBox;
import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.BgrImage;
import com.heygem.engine.image.Images;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.VideoReader;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG a person can check landmarks on at a glance: one row per template, evenly spaced frames
 * zoomed on the face with the smoothed landmarks drawn (jaw and brows yellow, eyes and nose cyan, lips red) and the
 * face box in green; frames without a face are marked so.
 */
public final class ContactSheet {
    static final int COLUMNS = 6;
    static final int CELL_SIZE = 240;
    static final int LABEL_HEIGHT = 22;
    static final int MAX_ROWS = 50;

    private ContactSheet() {
    }

    /** One template with its profile. */
    public record Row(Path video, TemplateProfile profile) {
    }

    public static void write(List<Row> rows, Path png, MediaLimits limits) throws IOException {
        List<Row> shown = rows.subList(0, Math.min(rows.size(), MAX_ROWS));
        int rowHeight = CELL_SIZE + LABEL_HEIGHT;
        BufferedImage sheet = new BufferedImage(COLUMNS * CELL_SIZE, shown.size() * rowHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(new Color(24, 24, 28));
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int r = 0; r < shown.size(); r++) {
            drawRow(g, shown.get(r), r * rowHeight, limits);
        }
        g.dispose();
        if (!ImageIO.write(sheet, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    private static void drawRow(Graphics2D g, Row row, int top, MediaLimits limits) {
        TemplateProfile p = row.profile();
        TemplateProfile.Summary s = p.summary();
        int frames = p.frames();
        int[] picks = new int[COLUMNS];
        for (int c = 0; c < COLUMNS; c++) {
            picks[c] = (int) Math.round((frames - 1) * (c + 0.5) / COLUMNS);
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(String.format(Locale.ROOT, "%s   face %.1f%%   %d frames @ %.2f fps",
                s.fileName(), 100 * s.faceFraction(), s.frames(), s.fps()), 6, top + 16);
        BgrImage frame = new BgrImage();
        float[] pts = new float[Landmarks.VALUES];
        try (VideoReader reader = VideoReader.open(row.video(), limits, 0)) {
            int next = 0;
            for (int f = 0; next < COLUMNS && reader.read(frame); f++) {
                if (f != picks[next]) {
                    continue;
                }
                boolean face = f < frames && p.facePresent()[f];
                // Zoom on the face (twice its box) so the landmarks can be checked; whole frame otherwise.
                double cx = frame.width / 2.0;
                double cy = frame.height / 2.0;
                double view = Math.max(frame.width, frame.height);
                if (face) {
                    p.landmarks(f, pts);
                    FaceBox box = Landmarks.box(pts);
                    cx = box.centerX();
                    cy = box.centerY();
                    view = 2 * box.width();
                }
                double scale = CELL_SIZE / view;
                int x0 = next * CELL_SIZE;
                int y0 = top + LABEL_HEIGHT;
                java.awt.Shape clip = g.getClip();
                g.setClip(x0, y0, CELL_SIZE, CELL_SIZE);
                double ox = x0 + CELL_SIZE / 2.0 - cx * scale;
                double oy = y0 + CELL_SIZE / 2.0 - cy * scale;
                g.drawImage(Images.toBufferedImage(frame), (int) Math.round(ox), (int) Math.round(oy),
                        (int) Math.round(frame.width * scale), (int) Math.round(frame.height * scale), null);
                if (face) {
                    drawFace(g, pts, ox, oy, scale);
                } else {
                    g.setColor(new Color(255, 80, 80));
                    g.drawString("no face", x0 + 6, y0 + 18);
                }
                g.setClip(clip);
                g.setColor(Color.LIGHT_GRAY);
                g.drawString("#" + f, x0 + 4, y0 + CELL_SIZE - 6);
                next++;
            }
        } catch (RuntimeException e) {
            g.setColor(new Color(255, 80, 80));
            g.drawString("cannot read frames: " + e.getMessage(), 6, top + LABEL_HEIGHT + 20);
        }
    }

    private static void drawFace(Graphics2D g, float[] p, double x0, double y0, double scale) {
        FaceBox box = Landmarks.box(p);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(new Color(60, 200, 90));
        g.draw(new java.awt.geom.Rectangle2D.Double(x0 + box.left() * scale, y0 + box.top() * scale,
                box.width() * scale, box.height() * scale));
        double r = 2.0;
        for (int i = 0; i < Landmarks.POINTS; i++) {
            g.setColor(i >= Landmarks.MOUTH_FIRST ? new Color(255, 70, 70)
                    : i >= 27 ? new Color(80, 220, 255) : new Color(255, 210, 60));
            double x = x0 + p[2 * i] * scale;
            double y = y0 + p[2 * i + 1] * scale;
            g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        }
    }
}
