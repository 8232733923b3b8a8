package org.adminconsole.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark command (see README): runs the JMH benchmarks in this package and prints every result with
 * its ratio to the baseline of its class: the benchmark method whose name starts with {@code baseline}.
 * Arguments: an optional include regex (default: all benchmarks), e.g. {@code UserLookupBench}.
 * {@code -Dbench.quick=true} runs fewer iterations (a smoke run).
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].trim().split("\\s+")[0].equals("GenerationBench")) {
            GenerationBench.main(args[0].trim().split("\\s+")); // one long run per figure, not JMH; "GenerationBench constantRows" too
            return;
        }
        if (args.length > 0 && args[0].equals("LoadBench")) {
            LoadBench.main(args); // operator threads for a fixed time, not JMH
            return;
        }
        if (args.length > 0 && args[0].trim().startsWith("StartupBench")) {
            // -Dbench.args="StartupBench runs=3 firstStart=true": the words after the name set bench.startup.*
            StartupBench.main(args); // one process start per figure, not JMH
            return;
        }
        if (args.length > 0 && args[0].equals("SearchIndexCostBench")) {
            SearchIndexCostBench.main(args); // the same kind of run
            return;
        }
        boolean quick = Boolean.getBoolean("bench.quick");
        // Iterations come from each class's @Warmup/@Measurement; a quick run overrides them (smoke test only).
        ChainedOptionsBuilder ob = new OptionsBuilder()
                .forks(1)
                .jvmArgs("-Xmx2g", "-XX:+UseParallelGC")
                .shouldFailOnError(true);
        // the forked benchmark JVM sees the bench.* settings too (bench.users, bench.db)
        List<String> props = new ArrayList<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            String v = System.getProperty(k);
            if (k.startsWith("bench.") && !v.isBlank() && !v.startsWith("${")) {
                props.add("-D" + k + "=" + v);
            }
        }
        ob.jvmArgsAppend(props.toArray(String[]::new));
        // -Dbench.param.NAME=a,b: run only these values of the @Param NAME (e.g. -Dbench.param.db=pg)
        for (String k : System.getProperties().stringPropertyNames()) {
            String v = System.getProperty(k);
            if (k.startsWith("bench.param.") && !v.isBlank() && !v.startsWith("${")) {
                ob.param(k.substring("bench.param.".length()), v.split(","));
            }
        }
        if (quick) {
            ob.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        // -Dbench.param.NAME=v1,v2 runs only those values of a benchmark's @Param NAME
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("bench.param.") && !System.getProperty(k).isBlank()) {
                ob.param(k.substring("bench.param.".length()), System.getProperty(k).split(","));
            }
        }
        List<String> includes = new ArrayList<>();
        for (String a : args) {
            if (!a.isBlank()) {
                includes.add(a);
            }
        }
        if (includes.isEmpty()) {
            includes.add("org\\.adminconsole\\.bench\\..*");
        }
        includes.forEach(ob::include);
        Collection<RunResult> results = new Runner(ob.build()).run();
        print(results);
    }

    static void print(Collection<RunResult> results) {
        Map<String, List<RunResult>> byClass = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String cls = bench.substring(0, bench.lastIndexOf('.'));
            byClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(r);
        }
        System.out.println();
        System.out.println("==== Admin Console benchmark results (ratio = score / baseline of the same class, same run) ====");
        for (Map.Entry<String, List<RunResult>> e : byClass.entrySet()) {
            System.out.println(e.getKey().substring(e.getKey().lastIndexOf('.') + 1));
            Map<String, Double> baselines = new LinkedHashMap<>();
            for (RunResult r : e.getValue()) {
                String m = method(r);
                if (m.startsWith("baseline")) {
                    baselines.put(paramKey(r), r.getPrimaryResult().getScore());
                }
            }
            for (RunResult r : e.getValue()) {
                double score = r.getPrimaryResult().getScore();
                Double base = baselines.get(paramKey(r));
                String ratio = base == null || base == 0 ? "" : String.format("  x%.2f", score / base);
                System.out.printf("  %-40s %-24s %12.3f ± %-10.3f %-8s%s%n", method(r), paramKey(r), score,
                        r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit(), ratio);
                r.getSecondaryResults().forEach((k, v) -> {
                    if (k.contains("gc.alloc.rate.norm") || k.startsWith("peak")) {
                        System.out.printf("      %-36s %12.1f %s%n", k, v.getScore(), v.getScoreUnit());
                    }
                });
            }
        }
    }

    private static String method(RunResult r) {
        String b = r.getParams().getBenchmark();
        return b.substring(b.lastIndexOf('.') + 1);
    }

    private static String paramKey(RunResult r) {
        StringBuilder sb = new StringBuilder();
        for (String k : r.getParams().getParamsKeys()) {
            if (!k.equals("mode")) {
                sb.append(k).append('=').append(r.getParams().getParam(k)).append(' ');
            }
        }
        return sb.toString().trim();
    }
}
