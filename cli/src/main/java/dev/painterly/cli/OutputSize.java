package dev.painterly.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * {@code --output}: the size a job's result is written at. NATIVE: the painting file's own size,
 * the painting's pixels untouched outside the blend mask and the object's detail re-synthesised
 * ({@link dev.painterly.harmonizer.NativeResolution}). WORKING: the working size (--size), the
 * optimisation's own result.
 */
enum OutputSize {
    NATIVE, WORKING;

    /** The option's values in lower case: "native" and "working". */
    static final class Converter implements ITypeConverter<OutputSize> {

        @Override
        public OutputSize convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "native" -> NATIVE;
                case "working" -> WORKING;
                default -> throw new TypeConversionException("--output is native (the painting's own size) or working "
                        + "(the --size), not '" + value + "'");
            };
        }
    }
}
