//! The command-line tool, run as a process: one output line per input line, errors that name the line, `--lossy`.

use std::process::Output;

#[path = "common/cli.rs"]
mod cli;
use cli::bibkey;

fn stdout_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, contents: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("bibkey-cli-test-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write temp file");
    path.to_string_lossy().into_owned()
}

#[test]
fn key_writes_one_line_per_input_line() {
    let o = bibkey(&["key"], "Троцкий\n\n...\nTrotzki\r\nlast without newline".as_bytes());
    assert!(o.status.success());
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], lines[3]);
    assert_eq!(lines[1], "");
    assert_eq!(lines[2], "");
}

#[test]
fn key_readings_are_tab_separated_on_the_line() {
    let o = bibkey(&["key", "--readings"], "Tschechow\nЧехов\n\nChekhov".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 4);
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields[0], bibkey::key("Tschechow").as_str());
    assert!(fields.contains(&bibkey::key("Чехов").as_str()), "{fields:?}");
    assert_eq!(lines[1], bibkey::key("Чехов").as_str());
    assert_eq!(lines[2], "");
    assert!(lines[3].starts_with(bibkey::key("Chekhov").as_str()));
    let o = bibkey(&["key", "--readings", "--kind", "title"], b"x\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--kind text"));
}

#[test]
fn invalid_utf8_names_the_line_unless_lossy() {
    let input = b"ok\nbad \xff here\n";
    let o = bibkey(&["key"], input);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    let o = bibkey(&["key", "--lossy"], input);
    assert!(o.status.success());
    assert_eq!(stdout_lines(&o).len(), 2);
}

#[test]
fn unknown_scheme_lists_the_valid_ones() {
    let o = bibkey(&["romanize", "--scheme", "xx"], b"a\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ru-alalc"));
}

#[test]
fn cluster_prints_every_line_with_its_cluster() {
    let input = "Proletarskaia revoliutsiia\nПролетарская революция\nKrasnyi arkhiv\nProletarskaja revoljucija\n\
                 Proletarskaia revoluitsiia\n\nKrasnyj archiv\n";
    let o = bibkey(&["cluster", "--kind", "title", "--explain"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    let got: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            (f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    let input_lines: Vec<&str> = input.lines().collect();
    assert_eq!(got.iter().map(|g| g.2).collect::<Vec<_>>(), input_lines);
    let clusters: Vec<&str> = got.iter().map(|g| g.0).collect();
    assert_eq!(clusters, ["1", "1", "3", "1", "1", "6", "3"]);
    assert_eq!(got[4].1, "near 1");
    // Key collisions only.
    let o = bibkey(&["cluster", "--kind", "title", "--no-nearest"], input.as_bytes());
    let clusters: Vec<String> = stdout_lines(&o).iter().map(|l| l.split('\t').next().unwrap().to_string()).collect();
    assert_eq!(clusters, ["1", "1", "3", "1", "5", "6", "7"]);
}

#[test]
fn cluster_columns_and_bad_rows() {
    let input =
        "id,title\n1,\"Krasnyi arkhiv\"\n2,\"Krasnyj archiv\n3\n4,\"Красный архив\"\n5,\"Katorga i ssylka\" x\n";
    let input = input.as_bytes();
    // Without --lossy: the first bad row stops the run, naming its line.
    let path = temp_file("rows.csv", input);
    let o = bibkey(&["cluster", "--column", "2", "--delimiter", ",", &path], b"");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 3") && stderr(&o).contains("unterminated"), "{}", stderr(&o));
    // With --lossy: every line printed; bad rows have an empty cluster and are counted.
    let o = bibkey(&["cluster", "--column", "2", "--delimiter", ",", "--lossy", &path], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 6);
    let clusters: Vec<&str> = lines.iter().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(clusters, ["1", "2", "", "", "2", ""]);
    assert!(stderr(&o).contains("3 lines malformed"), "{}", stderr(&o));
    let _ = std::fs::remove_file(path);
}

/// Over several of the CLI's 65,536-line blocks, with bad lines between them under --lossy, every line gets what the
/// library gives one text at a time (a skipped line counted with `skip`, so that cluster numbers stay line numbers).
#[test]
fn cluster_blocks_match_one_text_at_a_time() {
    // Titles with near and exact repeats, far apart and close together.
    let words = ["krasnyi", "arkhiv", "byloe", "katorga", "ssylka", "golos", "minuvshego", "letopis", "istorik"];
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for i in 0..70_000u32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = |k: u64| words[((x >> k) % words.len() as u64) as usize];
        let title = format!("{} {} {} {}", w(3), w(11), w(19), (x >> 27) % 9_000);
        // Every 101st title again with one letter changed, every 97th repeated as it is.
        let title = if i % 101 == 0 { title.replacen('a', "o", 1) } else { title };
        lines.push(title.into_bytes());
        if i % 97 == 0 {
            lines.push(lines[lines.len() - 1].clone());
        }
    }
    // Invalid UTF-8 (keyed with U+FFFD) and overlong lines (skipped, counted) on both sides of the first block's end.
    lines[40_000] = vec![b'b', b'a', b'd', 0xff];
    lines[65_535] = vec![b'x'; (1 << 20) + 1];
    lines[65_537] = vec![b'y'; (1 << 20) + 5];
    let input: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain([b'\n'])).collect();
    let o = bibkey(&["cluster", "--lossy", "--explain", "-"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = stdout_lines(&o);
    assert_eq!(got.len(), lines.len());
    let mut c = bibkey::Clusterer::new(bibkey::KeyKind::Text);
    let mut near = 0;
    for (i, (line, out)) in lines.iter().zip(&got).enumerate() {
        if line.len() > 1 << 20 {
            c.skip();
            assert!(out.starts_with("\tskipped\t"), "line {}: {:?}", i + 1, &out[..20]);
            continue;
        }
        let a = c.push(&String::from_utf8_lossy(line));
        near += matches!(a.how, bibkey::cluster::How::Near(_)) as usize;
        let prefix = out.split('\t').next().unwrap_or_default();
        assert_eq!(prefix, a.cluster.to_string(), "line {}: {out:?} against {a:?}", i + 1);
        assert!(out.ends_with(&*String::from_utf8_lossy(line)), "line {}", i + 1);
    }
    assert!(near > 1000, "only {near} nearest-neighbour joins: the test would prove little");
}

#[test]
fn cluster_rejects_empty_input_and_long_lines() {
    let o = bibkey(&["cluster"], b"");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("empty input"));
    let mut input = b"short\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 1 << 21));
    input.extend(b"\nshort\n");
    let o = bibkey(&["cluster"], &input);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 2") && stderr(&o).contains("1 MiB"), "{}", stderr(&o));
    let o = bibkey(&["cluster", "--lossy"], &input);
    assert!(o.status.success());
    let out = o.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect::<Vec<_>>();
    assert_eq!(out.len(), 3);
    assert_eq!(out[1].len(), 1 + (1 << 21), "the long line is copied through whole");
    assert_eq!(out[2], b"1\tshort");
}

#[test]
fn match_prints_candidates_per_query() {
    let index = "r1\tGosudarstvo i revoliut͡sii͡a\tLenin, V. I.\nr2\tAzbuka kommunizma\tBukharin, N. I. ; Preobrazhenskii, E. A.\n\
                 r3\tГосударство и право\n";
    let path = temp_file("index.tsv", index.as_bytes());
    let queries = "Государство и революция\tЛенин В.И.\nAzbuka kommunisma\n\nnothing like it\n\tBukharin, N.\n";
    let o = bibkey(&["match", "--index", &path, "--top", "2"], queries.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("r1\t1.000\ttitle exact, name exact"), "{}", lines[0]);
    assert!(lines[1].starts_with("r2\t"), "{}", lines[1]);
    assert_eq!(lines[2], "");
    assert_eq!(lines[3], "");
    assert!(lines[4].starts_with("r2\t1.000\ttitle absent, name exact"), "{}", lines[4]);
    // A malformed index names its line.
    let bad = temp_file("bad.tsv", b"r1\tKrasnyi arkhiv\nr2 without title\n");
    let o = bibkey(&["match", "--index", &bad], b"x\n");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    let empty = temp_file("empty.tsv", b"");
    let o = bibkey(&["match", "--index", &empty], b"x\n");
    assert!(!o.status.success() && stderr(&o).contains("empty index"), "{}", stderr(&o));
    for p in [path, bad, empty] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn match_lossy_keeps_every_query_line() {
    let index = temp_file("lossy-index.tsv", "r1\tKrasnyi arkhiv\nr2 no title\nr3\tKatorga i ssylka\n".as_bytes());
    // Without --lossy the bad index line stops the run; with it, the line is skipped and counted.
    let o = bibkey(&["match", "--index", &index, "--lossy"], b"Krasnyj archiv\nbad \xff query\nKatorga i ssylka\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 3, "one output line per query line");
    assert!(lines[0].starts_with("r1\t"), "{}", lines[0]);
    assert_eq!(lines[1], "");
    assert!(lines[2].starts_with("r3\t1.000\ttitle exact"), "{}", lines[2]);
    let err = stderr(&o);
    assert!(err.contains("1 line unreadable") && err.contains("line 2"), "{err}");
    let o = bibkey(&["match", "--index", &index], b"Krasnyj archiv\nbad \xff query\n");
    assert!(!o.status.success());
    let _ = std::fs::remove_file(index);
}

#[test]
fn cluster_names() {
    let input = "Trotsky, Leon\nТроцкий Л.Д.\nTrotzki, Leo\nKamenev, L. B.\nKameneva, O. D.\nTrotskii, L.\n";
    let o = bibkey(&["cluster", "--kind", "name"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let clusters: Vec<String> = stdout_lines(&o).iter().map(|l| l.split('\t').next().unwrap().to_string()).collect();
    assert_eq!(clusters, ["1", "1", "1", "4", "5", "1"]);
}

/// The shipped example: footnote-style queries (several scripts and romanizations, typos, a volume, pre-1918
/// spelling) against a small ALA-LC catalog. The expected record of each query is the work it cites.
#[test]
fn match_example_catalog() {
    let root = env!("CARGO_MANIFEST_DIR");
    let queries = std::fs::read(format!("{root}/examples/queries.tsv")).expect("examples/queries.tsv");
    let o = bibkey(&["match", "--index", &format!("{root}/examples/catalog.tsv"), "--top", "1"], &queries);
    assert!(o.status.success(), "{}", stderr(&o));
    let first: Vec<String> = stdout_lines(&o).iter().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect();
    let want = [
        "lccn-1",  // История русской революции / Троцкий
        "lccn-1",  // the same, romanized without diacritics, with a volume, author in German
        "lccn-2",  // Proletarskaya revolyutsiya (BGN/PCGN)
        "lccn-2",  // Proletarskaâ revolûciâ (ISO 9)
        "lccn-4",  // Bol’ sheviki … (OCR damage)
        "lccn-4",  // Большевики должны взять власть
        "lccn-5",  // Padenie carskogo režima (scholarly)
        "lccn-9",  // Русскія вѣдомости (pre-1918) against Russkīi͡a vi͡edomosti
        "lccn-10", // Gosudarsvto i revolyutsiya (transposed letters)
        "lccn-11", // Krasnyj archiv (German ch)
        "",        // Vospominaniia / Kameneva: not in the catalog (Kamenev's book must not be offered)
        "lccn-6",  // Voina i mir, but with the wrong author: the title still finds it…
    ];
    assert_eq!(first, want);
    // …and the explanation shows the author does not agree.
    let last = stdout_lines(&o).pop().unwrap_or_default();
    assert!(last.contains("title exact") && !last.contains("name exact"), "{last}");

    // With readings the German `ch` of Krasnyj archiv is read as х: an exact title, said to come from the reading;
    // every other line keeps its first candidate.
    let args = ["match", "--readings", "--index", &format!("{root}/examples/catalog.tsv"), "--top", "1"];
    let r = bibkey(&args, &queries);
    assert!(r.status.success(), "{}", stderr(&r));
    let lines = stdout_lines(&r);
    let first_r: Vec<String> = lines.iter().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect();
    assert_eq!(first_r, want);
    assert!(lines[9].contains("title exact") && lines[9].ends_with(", as read-de"), "{}", lines[9]);
    assert!(stdout_lines(&o)[9].contains("title 1 edit"), "{}", stdout_lines(&o)[9]);
}
