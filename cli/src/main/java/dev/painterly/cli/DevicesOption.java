package dev.painterly.cli;

import dev.painterly.engine.Device;
import dev.painterly.engine.DeviceException;
import dev.painterly.engine.DeviceInfo;
import dev.painterly.engine.Devices;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --devices all|LIST}: several devices, each working on its own example at the same time.
 * An entry is an index from 'painterly devices', a name substring (every device whose name
 * contains it) or {@code java}; {@code all} is every OpenCL GPU, or every OpenCL device where there
 * is no GPU (a CPU device beside GPUs would hold up the batch's end with the example it took).
 * A device is named once: one
 * device runs one job at a time (an OpenCL device is one context per process, see
 * {@code OpenClDevice}).
 */
final class DevicesOption {

    static final String ALL = "all";

    @Option(names = "--devices", paramLabel = "all|D1,D2,..",
            description = "run examples at the same time, one per device: 'all' (every OpenCL GPU, else every OpenCL device) or a list of "
                    + "indices, name substrings (every device whose name contains it) or java, as 'painterly devices' lists them")
    String devices;

    /** A device to work on, and the tag its lines carry: "[0]", "[java]". */
    record Named(String tag, String description, Device device) {
    }

    boolean given() {
        return devices != null;
    }

    /**
     * The selectors of the devices named, each once, in the order named: indices as text, or
     * java. Fails with one line on an empty, unknown or repeated entry.
     */
    List<String> selectors() {
        return selectors(Devices.list());
    }

    /** As {@link #selectors()}, among the OpenCL devices {@code available}. */
    List<String> selectors(List<DeviceInfo> available) {
        String text = devices.trim();
        if (text.equalsIgnoreCase(ALL)) {
            if (available.isEmpty()) {
                throw new DeviceException("--devices all: no OpenCL device found: " + OpenClInstall.advice()
                        + ", or name the devices, e.g. --devices java");
            }
            List<DeviceInfo> gpus = available.stream().filter(DeviceInfo::isGpu).toList();
            return (gpus.isEmpty() ? available : gpus).stream().map(d -> String.valueOf(d.index())).toList();
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String entry : text.split(",", -1)) {
            String e = entry.trim();
            if (e.isEmpty()) {
                throw new IllegalArgumentException("--devices " + devices + " has an empty entry: separate devices by single commas, "
                        + "e.g. --devices 0,1");
            }
            for (String selector : resolve(e, available)) {
                String earlier = chosen.putIfAbsent(selector, e);
                if (earlier != null) {
                    throw new IllegalArgumentException("--devices " + devices + " names device " + selector + " twice ("
                            + (earlier.equals(e) ? e : earlier + " and " + e) + "): name each device once");
                }
            }
        }
        return List.copyOf(chosen.keySet());
    }

    /** Opens the devices named; on a failure, closes those already open. */
    List<Named> open() {
        List<Named> opened = new ArrayList<>();
        try {
            for (String selector : selectors()) {
                Device d = Devices.open(selector);
                opened.add(new Named("[" + selector + "]", d.name(), d));
            }
        } catch (RuntimeException e) {
            opened.forEach(n -> n.device().close());
            throw e;
        }
        return opened;
    }

    private List<String> resolve(String entry, List<DeviceInfo> available) {
        if (entry.equalsIgnoreCase(Devices.JAVA)) {
            return List.of(Devices.JAVA);
        }
        if (entry.equalsIgnoreCase(ALL)) {
            throw new IllegalArgumentException("--devices " + devices + ": 'all' stands alone (every OpenCL device): "
                    + "give --devices all, or a list of devices");
        }
        List<String> matches;
        if (entry.chars().allMatch(Character::isDigit)) {
            String index = entry.replaceFirst("^0+(?=.)", "");
            matches = available.stream().map(d -> String.valueOf(d.index())).filter(index::equals).toList();
        } else {
            String needle = entry.toLowerCase(Locale.ROOT);
            matches = available.stream().filter(d -> d.label().toLowerCase(Locale.ROOT).contains(needle))
                    .map(d -> String.valueOf(d.index())).toList();
        }
        if (matches.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (DeviceInfo d : available) {
                names.append(d.index()).append(": ").append(d.name()).append(", ");
            }
            throw new DeviceException("unknown device '" + entry + "' in --devices: choose from " + names
                    + "java (run 'painterly devices' to list them)");
        }
        return matches;
    }
}
