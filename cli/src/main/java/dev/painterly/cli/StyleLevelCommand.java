package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.HarmonizeSettings;
import dev.painterly.harmonizer.StyleFeatures;
import dev.painterly.harmonizer.StyleLevelValidation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Shows what {@code --style-level auto} does with paintings and why: one line per painting,
 * PATH, LEVEL and the measured features, so that anyone can check an estimator; with
 * {@code --leave-one-out DIR}, the candidate estimator judged on a folder of paintings of known
 * level (DIR/N_target.* and DIR/style_levels.tsv, as {@code batch} reads them).
 */
@Command(name = "style-level", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print PATH<TAB>LEVEL<TAB>features (name=value) for each painting: the level --style-level auto uses, "
                + "and the measures an estimate could use.",
                "With --leave-one-out DIR: judge the estimate on the examples of DIR whose level DIR/style_levels.tsv lists."})
final class StyleLevelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PAINTING", arity = "0..*", description = "paintings (any image file)")
    List<Path> paintings = new ArrayList<>();

    @Option(names = "--leave-one-out", paramLabel = "DIR",
            description = "folder of examples with style_levels.tsv: predict each level from the others, "
                    + "and compare with always answering 5")
    Path examples;

    @Override
    public Integer call() throws IOException {
        if (paintings.isEmpty() == (examples == null)) {
            throw new IllegalArgumentException("give paintings, or --leave-one-out DIR (not both)");
        }
        PrintStream out = System.out;
        if (examples != null) {
            leaveOneOut(out);
            return 0;
        }
        String level = StyleLevelOption.label(HarmonizeSettings.DEFAULT_STYLE_LEVEL);
        for (Path p : paintings) {
            out.println(p + "\t" + level + "\t" + StyleFeatures.of(RgbImage.read(p)).pairs());
        }
        out.flush();
        System.err.println("painterly: LEVEL is " + level + " for every painting: no estimate of ours beats always answering " + level
                + " (see --leave-one-out); the features are for checking estimators");
        return 0;
    }

    /** Each listed example's level, its prediction without it, and the summary against the constant. */
    private void leaveOneOut(PrintStream out) throws IOException {
        Map<String, Double> known = ExampleFolder.styleLevels(examples);
        Map<String, Path> targets = new TreeMap<>();
        for (ExampleFolder.Example e : ExampleFolder.scan(examples)) {
            if (known.containsKey(e.id())) {
                targets.put(e.id(), e.painting());
            }
        }
        if (targets.size() < 3) {
            throw new IllegalArgumentException(examples + " has " + targets.size() + " examples listed in " + ExampleFolder.LEVELS_FILE
                    + ": leave-one-out needs at least three");
        }
        List<String> ids = new ArrayList<>(targets.keySet());
        ids.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        double[] scores = new double[ids.size()], levels = new double[ids.size()];
        List<StyleFeatures> features = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            StyleFeatures f = StyleFeatures.of(RgbImage.read(targets.get(ids.get(i))));
            features.add(f);
            scores[i] = f.score();
            levels[i] = known.get(ids.get(i));
        }
        StyleLevelValidation.Outcome o = StyleLevelValidation.leaveOneOut(scores, levels);
        out.println("example\tpublished\tleft-out prediction\tfeatures");
        for (int i = 0; i < ids.size(); i++) {
            out.printf(Locale.ROOT, "%s\t%.2f\t%.2f\t%s%n", ids.get(i), levels[i], o.predicted()[i], features.get(i).pairs());
        }
        out.printf(Locale.ROOT, "line through the features' mean, leave-one-out on %d: Spearman %.2f, mean absolute error %.2f levels%n",
                ids.size(), o.spearman(), o.error());
        out.printf(Locale.ROOT, "always 5: mean absolute error %.2f levels%n", o.constantError());
        out.println(o.beatsConstant() ? "on these paintings the line beats always 5" : "on these paintings the line does not beat always 5");
    }
}
