package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The overview of a batch, one row per example with its painting, composite and result (or its
 * results at each style level of a sweep, labelled) side by side: {@value #PNG} (thumbnails {@value #ROW_HEIGHT} px high) and a small {@value #HTML} that
 * shows the files themselves, the inputs where they lie and the results beside the page.
 */
final class ContactSheet {

    static final String PNG = "contact-sheet.png";
    static final String HTML = "index.html";
    static final int ROW_HEIGHT = 160;

    /** A result of an example: its file and image, and a label (empty for the one result of a single level). */
    record Result(Path file, RgbImage image, String label) {
    }

    /** One example: its files, thumbnails of them, and a line about it. */
    private record Row(String id, Path painting, Path composite, List<Result> results, RgbImage strip, String caption) {
    }

    private final Path dir;
    private final String png;
    private final String html;
    private final List<Row> rows = new ArrayList<>();

    /** A sheet for results in {@code dir}, where it is written as {@value #PNG} and {@value #HTML}. */
    ContactSheet(Path dir) {
        this(dir, PNG, HTML);
    }

    /** A sheet for results in {@code dir}, written there as {@code png} and {@code html}. */
    ContactSheet(Path dir, String png, String html) {
        this.dir = dir;
        this.png = png;
        this.html = html;
    }

    /** The sheet as one image. */
    Path png() {
        return dir.resolve(png);
    }

    /** The page that shows the results. */
    Path html() {
        return dir.resolve(html);
    }

    /**
     * Adds an example's row, in the order of the examples' numbers whatever order they finish in
     * (a batch on several devices finishes them out of order).
     */
    synchronized void add(String id, Path painting, Path composite, List<Result> results, RgbImage paintingImage, RgbImage compositeImage,
             String caption) {
        List<RgbImage> thumbnails = new ArrayList<>(List.of(thumbnail(paintingImage), thumbnail(compositeImage)));
        List<String> labels = new ArrayList<>(List.of("painting", "composite"));
        for (Result r : results) {
            thumbnails.add(thumbnail(r.image()));
            labels.add(r.label());
        }
        RgbImage strip = results.stream().allMatch(r -> r.label().isEmpty()) ? Sheet.sideBySide(thumbnails.toArray(RgbImage[]::new))
                : Sheet.labelled(thumbnails, labels);
        rows.add(new Row(id, painting, composite, results, strip, caption));
        // Ids are example numbers, without leading zeros: the shorter is the smaller.
        rows.sort(Comparator.comparing(Row::id, Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())));
    }

    /** Writes (or replaces) both files with the rows so far. */
    synchronized void write() throws IOException {
        OutputFile.writePng(stacked(), png());
        OutputFile.writeText(page(), html());
    }

    private static RgbImage thumbnail(RgbImage image) {
        int w = Math.max(1, (int) Math.round((double) image.width() * ROW_HEIGHT / image.height()));
        return image.resize(ROW_HEIGHT, w);
    }

    /** The rows' strips one under the other on white (each strip has its own margin). */
    private RgbImage stacked() {
        int h = 0, w = 1;
        for (Row r : rows) {
            h += r.strip().height();
            w = Math.max(w, r.strip().width());
        }
        h = Math.max(h, 1);
        float[] out = new float[3 * h * w];
        Arrays.fill(out, 1f);
        int y0 = 0;
        for (Row r : rows) {
            RgbImage s = r.strip();
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s.height(); y++) {
                    System.arraycopy(s.planes(), (c * s.height() + y) * s.width(), out, (c * h + y0 + y) * w, s.width());
                }
            }
            y0 += s.height();
        }
        return new RgbImage(h, w, out);
    }

    private String page() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>painterly batch</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1em} td{padding:4px;vertical-align:top} ")
                .append("img{height:").append(2 * ROW_HEIGHT).append("px}</style></head><body>\n")
                .append("<h1>painterly batch: ").append(rows.size()).append(rows.size() == 1 ? " example" : " examples")
                .append("</h1>\n<p><a href=\"").append(png).append("\">contact sheet as one PNG</a></p>\n")
                .append("<table>\n<tr><th>example</th><th>painting</th><th>composite</th><th>result</th></tr>\n");
        for (Row r : rows) {
            b.append("<tr><td>").append(escape(r.id())).append("<br>").append(escape(r.caption())).append("</td>")
                    .append(cell(r.painting(), "painting " + r.id(), ""))
                    .append(cell(r.composite(), "composite " + r.id(), ""));
            for (Result result : r.results()) {
                b.append(cell(result.file(), "result " + r.id() + (result.label().isEmpty() ? "" : ", " + result.label()),
                        result.label()));
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private String cell(Path file, String alt, String label) {
        String href = link(file);
        return "<td><a href=\"" + href + "\"><img src=\"" + href + "\" alt=\"" + escape(alt) + "\"></a>"
                + (label.isEmpty() ? "" : "<br>" + escape(label)) + "</td>";
    }

    /** The file's address relative to the page, percent-encoded. */
    private String link(Path file) {
        Path relative = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        String path = relative.toString().replace('\\', '/');
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot link " + file + " from " + dir, e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
