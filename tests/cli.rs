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
    let input = "id,title\n1,\"Krasnyi arkhiv\"\n2,\"Krasnyj\narchiv\"\n3\n4,Красный архив\n5,\"Katorga i ssylka\n";
    let input = input.as_bytes();
    // Without --lossy: the first bad row stops the run, naming its line, after the rows before it.
    let path = temp_file("rows.csv", input);
    let o = bibkey(&["cluster", "--header", "--column", "title", "--delimiter", ",", &path], b"");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("line 5") && stderr(&o).contains("no column 2"), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "id,title,cluster\n1,Krasnyi arkhiv,1\n2,\"Krasnyj\narchiv\",1\n");
    // With --lossy: every record printed; bad ones have an empty cluster and are counted. The unclosed quote of
    // the last line is found at the end of the input; that line is printed as one field.
    let o = bibkey(&["cluster", "--header", "--column", "2", "--delimiter", ",", "--lossy", &path], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "id,title,cluster\n1,Krasnyi arkhiv,1\n2,\"Krasnyj\narchiv\",1\n3,\n4,Красный архив,1\n\"5,\"\"Katorga i ssylka\",\n"
    );
    assert!(stderr(&o).contains("2 lines malformed"), "{}", stderr(&o));
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
        // Every 101st title an earlier one (up to 64,000 lines back) with one letter changed, every 97th repeated as
        // it is. (Titles differing in their numbers are not neighbours: numbers are not fuzzy-matched.)
        let title = match lines.len() {
            len if i % 101 == 0 && len > 0 => {
                String::from_utf8_lossy(&lines[len - 1 - (x >> 40) as usize % len.min(64_000)]).replacen('a', "o", 1)
            }
            _ => title,
        };
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
    assert!(near > 400, "only {near} nearest-neighbour joins: the test would prove little");
}

#[test]
fn cluster_empty_input_and_long_lines() {
    // Empty input is no error: no records, no output.
    for args in [&["cluster"][..], &["cluster", "-"], &["cluster", "--column", "2", "--delimiter", ","]] {
        let o = bibkey(args, b"");
        assert_eq!((o.status.code(), o.stdout.as_slice(), stderr(&o).as_str()), (Some(0), &b""[..], ""), "{args:?}");
    }
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
    // One row per candidate: query, rank, id, score, how; a query without candidates has a row of its own.
    assert!(lines[0].starts_with("1\t1\tr1\t1.000\ttitle exact, name exact"), "{}", lines[0]);
    let of = |q: &str| lines.iter().filter(|l| l.split('\t').next() == Some(q)).cloned().collect::<Vec<_>>();
    assert!(of("1").len() <= 2 && of("1").iter().skip(1).all(|l| l.starts_with("1\t2\t")), "{lines:?}");
    assert!(of("2")[0].starts_with("2\t1\tr2\t"), "{lines:?}");
    assert_eq!(of("3"), ["3\t\t\t\t"]);
    assert_eq!(of("4"), ["4\t\t\t\t"]);
    assert!(of("5")[0].starts_with("5\t1\tr2\t1.000\ttitle absent, name exact"), "{lines:?}");
    assert_eq!(lines.len(), of("1").len() + of("2").len() + 2 + of("5").len());
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
    // Without --lossy the bad index line stops the run; with it, the line is counted.
    let o = bibkey(
        &["match", "--index", &index, "--lossy", "--top", "1"],
        b"Krasnyj archiv\nbad \xff query\nKatorga i ssylka\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines.len(), 3, "one output line per query line");
    assert!(lines[0].starts_with("1\t1\tr1\t"), "{}", lines[0]);
    assert_eq!(lines[1], "2\t\t\t\t");
    assert!(lines[2].starts_with("3\t1\tr3\t1.000\ttitle exact"), "{}", lines[2]);
    let err = stderr(&o);
    assert!(err.contains("1 line malformed") && err.contains("line 2"), "{err}");
    assert!(err.contains("stdin: 1 line with invalid UTF-8"), "{err}");
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
    let first: Vec<String> = stdout_lines(&o).iter().map(|l| l.split('\t').nth(2).unwrap_or("").to_string()).collect();
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
    let first_r: Vec<String> = lines.iter().map(|l| l.split('\t').nth(2).unwrap_or("").to_string()).collect();
    assert_eq!(first_r, want);
    assert!(lines[9].contains("title exact") && lines[9].ends_with(", as read-de"), "{}", lines[9]);
    assert!(stdout_lines(&o)[9].contains("title 1 edit"), "{}", stdout_lines(&o)[9]);
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn csv_header_row_is_not_a_record() {
    // The header is printed with bibkey's column added, and cluster ids count data rows from 1.
    let input = "title,year\nKrasnyi arkhiv,1922\n\"Krasnyj archiv\",1923\nByloe,1906\n";
    let o = bibkey(&["cluster", "--delimiter", ",", "--header", "--column", "title"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "title,year,cluster\nKrasnyi arkhiv,1922,1\nKrasnyj archiv,1923,1\nByloe,1906,3\n");
    // TSV in, TSV out, the same way.
    let tsv = input.replace(',', "\t").replace('"', "");
    let o = bibkey(&["cluster", "--header", "--column", "1", "--explain"], tsv.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        out(&o),
        "title\tyear\tcluster\thow\nKrasnyi arkhiv\t1922\t1\tnew\nKrasnyj archiv\t1923\t1\tnear 1\nByloe\t1906\t3\tnew\n"
    );
}

#[test]
fn csv_fields_across_lines_and_quotes_in_tsv() {
    // A quoted field with a line break and a delimiter in it is one field; CSV out quotes it again.
    let input = "1,\"Trotsky,\nLeon\"\n2,Trotzki\n";
    let o = bibkey(&["key", "--kind", "name", "--delimiter", ",", "--column", "2"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let k = bibkey::name_key("Trotsky,\nLeon");
    let k2 = bibkey::name_key("Trotzki");
    assert_eq!(out(&o), format!("1,\"Trotsky,\nLeon\",{}\n2,Trotzki,{}\n", k.as_str(), k2.as_str()));
    // In TSV a quote is an ordinary character (as `marc keys` writes titles); --quoted reads spreadsheet quoting.
    let tsv = "\"Krasnyi arkhiv\" i drugie\tx\n";
    let o = bibkey(&["key", "--column", "1"], tsv.as_bytes());
    assert_eq!(
        out(&o),
        format!("\"Krasnyi arkhiv\" i drugie\tx\t{}\n", bibkey::key("\"Krasnyi arkhiv\" i drugie").as_str())
    );
    let o = bibkey(&["key", "--column", "1", "--quoted"], b"\"Krasnyi\tarkhiv\"\tx\n");
    assert_eq!(out(&o), format!("\"Krasnyi\tarkhiv\"\tx\t{}\n", bibkey::key("Krasnyi\tarkhiv").as_str()));
}

#[test]
fn byte_order_mark_is_not_part_of_the_first_record() {
    // A header that starts with a byte-order mark still names its first column.
    let input = "\u{FEFF}title,year\nByloe,1906\n";
    let o = bibkey(&["cluster", "--delimiter", ",", "--header", "--column", "title"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "title,year,cluster\nByloe,1906,1\n");
    // The first record of an index keeps its id.
    let index = temp_file("bom-index.tsv", "\u{FEFF}r1\tKrasnyi arkhiv\nr2\tByloe\n".as_bytes());
    let o = bibkey(&["match", "--index", &index, "--top", "1"], "Krasnyi arkhiv\n".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out(&o).starts_with("1\t1\tr1\t1.000\t"), "{:?}", out(&o));
    // And a line that starts with one is the same text as without it.
    let o = bibkey(&["cluster", "--explain"], "\u{FEFF}Byloe\nByloe\n".as_bytes());
    assert_eq!(out(&o), "1\tnew\tByloe\n1\tkey\tByloe\n");
    let _ = std::fs::remove_file(index);
}

#[test]
fn match_reads_a_csv_index_and_csv_queries() {
    let index = "title,id,names\n\"Gosudarstvo i revoliut͡sii͡a, 2-e izd.\",r1,\"Lenin, V. I.\"\nByloe,r2,\n";
    let path = temp_file("index.csv", index.as_bytes());
    let args = ["match", "--index", &path, "--index-delimiter", ",", "--index-header", "--top", "1"];
    let o = bibkey(&args, "Государство и революция, 2-е изд.\tЛенин, В. И.\n".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "1\t1\tr1\t1.000\ttitle exact, name exact\n");
    // CSV queries with a header: CSV rows out, with a header of bibkey's fixed columns.
    let queries = "author,work\nЛенин,Государство и революция\n,Byloe\n,Nothing at all\n";
    let args = [&args[..], &["--delimiter", ",", "--header", "--column", "work", "--names-column", "author"]].concat();
    let o = bibkey(&args, queries.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    assert_eq!(lines[0], "query,rank,id,score,how");
    assert!(lines[1].starts_with("1,1,r1,"), "{lines:?}");
    assert_eq!(lines[2], "2,1,r2,1.000,\"title exact, name absent\"");
    assert_eq!(lines[3], "3,,,,");
    assert_eq!(lines.len(), 4);
    let _ = std::fs::remove_file(path);
}

#[test]
fn json_lines_in_and_out() {
    let input = "{\"id\":7,\"title\":\"Троцкий\"}\n{\"title\":\"Trotzki\",\"tags\":[1]}\n";
    let o = bibkey(&["key", "--json", "--field", "title"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let k = bibkey::key("Троцкий");
    assert_eq!(
        out(&o),
        format!("{{\"id\":7,\"title\":\"Троцкий\",\"key\":\"{k}\"}}\n{{\"title\":\"Trotzki\",\"tags\":[1],\"key\":\"{}\"}}\n", bibkey::key("Trotzki").as_str(), k = k.as_str())
    );
    let o = bibkey(&["cluster", "--json", "--field", "title", "--explain"], input.as_bytes());
    assert_eq!(
        out(&o),
        "{\"id\":7,\"title\":\"Троцкий\",\"cluster\":1,\"how\":\"new\"}\n{\"title\":\"Trotzki\",\"tags\":[1],\"cluster\":1,\"how\":\"key\"}\n"
    );
    // A line that is not an object names its line; --lossy prints it as read and goes on.
    let bad = "{\"title\":\"Byloe\"}\n[1]\n{\"title\":\"Byloe\"}\n";
    let o = bibkey(&["cluster", "--json", "--field", "title"], bad.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 2: not a JSON object"), "{}", stderr(&o));
    let o = bibkey(&["cluster", "--json", "--field", "title", "--lossy"], bad.as_bytes());
    assert_eq!(out(&o), "{\"title\":\"Byloe\",\"cluster\":1}\n[1]\n{\"title\":\"Byloe\",\"cluster\":1}\n");
    // match: the fields title and names (a string or a list); one object per candidate.
    let index = temp_file("json-index.tsv", "r1\tByloe\tShchegolev, P. E.\n".as_bytes());
    let o = bibkey(
        &["match", "--index", &index, "--json"],
        "{\"title\":\"Былое\",\"names\":[\"Щеголев, П. Е.\"]}\n{\"title\":\"nothing\"}\n".as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        out(&o),
        "{\"query\":1,\"rank\":1,\"id\":\"r1\",\"score\":1.0,\"how\":\"title exact, name exact\"}\n\
         {\"query\":2,\"rank\":null,\"id\":null,\"score\":null,\"how\":null}\n"
    );
    let _ = std::fs::remove_file(index);
}

#[test]
fn every_command_reads_files_and_columns() {
    let a = temp_file("files-a.tsv", "1\tЩукин\n".as_bytes());
    let b = temp_file("files-b.tsv", "2\tТроцкий, Лев\n".as_bytes());
    let o = bibkey(&["romanize", "--scheme", "ru-bgn-pcgn", "--column", "2", &a, &b], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "1\tЩукин\tShchukin\n2\tТроцкий, Лев\tTrotskiy, Lev\n");
    let o = bibkey(&["naco", "--column", "2", &a, "-", &b], "3\tTolstoĭ, Lev\n".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "1\tЩукин\tЩУКИН\n3\tTolstoĭ, Lev\tTOLSTOI LEV\n2\tТроцкий, Лев\tТРОЦКИИ ЛЕВ\n");
    let o = bibkey(&["key", &a, &b], b"");
    assert_eq!(out(&o), format!("{}\n{}\n", bibkey::key("1\tЩукин").as_str(), bibkey::key("2\tТроцкий, Лев").as_str()));
    // Cluster ids run on across files.
    let o = bibkey(&["cluster", "--column", "2", &a, &b, &a], b"");
    assert_eq!(out(&o), "1\tЩукин\t1\n2\tТроцкий, Лев\t2\n1\tЩукин\t1\n");
    let o = bibkey(&["key", "no-such-file"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-file"), "{}", stderr(&o));
    for p in [a, b] {
        let _ = std::fs::remove_file(p);
    }
}

/// Sends one line to a running `bibkey ARGS` and reads one line back, stdin still open. Fails (rather than hangs)
/// when no line comes back within a minute.
fn one_line_answer(args: &[&str], line: &str) -> String {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_bibkey"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run bibkey");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    stdin.write_all(line.as_bytes()).expect("write");
    stdin.flush().expect("flush");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut answer = String::new();
        let _ = BufReader::new(stdout).read_line(&mut answer);
        let _ = send.send(answer);
    });
    let answer = receive.recv_timeout(std::time::Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    drop(stdin);
    answer.unwrap_or_else(|_| panic!("{args:?}: no answer to one line while stdin stays open"))
}

#[test]
fn line_buffered_output_answers_each_line() {
    let k = bibkey::key("Trotzki");
    assert_eq!(one_line_answer(&["key", "--line-buffered"], "Trotzki\n"), format!("{}\n", k.as_str()));
    assert_eq!(one_line_answer(&["romanize", "--line-buffered"], "Щукин\n"), "Shchukin\n");
    assert_eq!(one_line_answer(&["naco", "--line-buffered"], "Щукин\n"), "ЩУКИН\n");
    assert_eq!(one_line_answer(&["cluster", "--line-buffered"], "Trotzki\n"), "1\tTrotzki\n");
    let root = env!("CARGO_MANIFEST_DIR");
    let index = format!("{root}/examples/catalog.tsv");
    let answer = one_line_answer(&["match", "--index", &index, "--top", "1", "--line-buffered"], "Krasnyi arkhiv\n");
    assert!(answer.starts_with("1\t1\t"), "{answer:?}");
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let f = temp_file("given.tsv", b"");
    let cases: &[(&[&str], &str)] = &[
        (&["cluster", "--edit-ratio", "NaN"], "from 0 to 1"),
        (&["cluster", "--edit-ratio", "-0.1"], "from 0 to 1"),
        (&["cluster", "--edit-ratio", "1.5"], "from 0 to 1"),
        (&["match", "--index", "x", "--edit-ratio", "NaN"], "from 0 to 1"),
        (&["match", "--index", "x", "--min-score", "2"], "from 0 to 1"),
        (&["cluster", "--max-edits", "800"], "0..=32"),
        (&["cluster", "--no-nearest", "--max-edits", "2"], "--no-nearest"),
        (&["cluster", "--no-nearest", "--edit-ratio", "0.2"], "--no-nearest"),
        (&["key", "--given-names", &f], "--kind name"),
        (&["key", "--kind", "name", "--readings"], "--kind text"),
        (&["romanize", "--reverse", "--ties", "marc8"], "--ties"),
        (&["key", "--json"], "--field"),
        (&["cluster", "--column", "title"], "--header"),
        (&["cluster", "--column", "0"], "from 1"),
        (&["key", "--delimiter", "\""], "delimiter"),
        (&["key", "--delimiter", ",", "--quoted"], "--quoted"),
        (&["key", "--json", "--delimiter", ","], "--delimiter"),
    ];
    for (args, says) in cases {
        let o = bibkey(args, b"x\n");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let _ = std::fs::remove_file(f);
}

#[test]
fn lossy_replaces_invalid_bytes_everywhere() {
    // cluster: the line is keyed and printed with U+FFFD (no invalid UTF-8 in the output).
    let o = bibkey(&["cluster", "--lossy"], b"Byloe \xff\nByloe \xfe\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(out(&o), "1\tByloe \u{FFFD}\n1\tByloe \u{FFFD}\n");
    assert!(stderr(&o).contains("stdin: 2 lines with invalid UTF-8"), "{}", stderr(&o));
    // match: an index record with invalid UTF-8 is indexed with U+FFFD, not dropped.
    let index = temp_file("lossy-utf8.tsv", b"r1\tKrasnyi arkhiv \xff\n");
    let o = bibkey(&["match", "--index", &index, "--lossy", "--top", "1"], b"Krasnyi arkhiv\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out(&o).starts_with("1\t1\tr1\t"), "{:?}", out(&o));
    let _ = std::fs::remove_file(index);
}

#[test]
fn match_top_k_rows_in_a_documented_order() {
    // Equal scores: the earlier record of the index first.
    let index = temp_file("ties.tsv", "r9\tByloe\nr3\tByloe\nr5\tByloe\nr1\tKatorga i ssylka\n".as_bytes());
    let o = bibkey(&["match", "--index", &index, "--top", "2"], b"Byloe\nKatorga i ssylka\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        out(&o),
        "1\t1\tr9\t1.000\ttitle exact, name absent\n1\t2\tr3\t1.000\ttitle exact, name absent\n\
         2\t1\tr1\t1.000\ttitle exact, name absent\n"
    );
    let _ = std::fs::remove_file(index);
}

#[test]
fn schemes_lists_aliases() {
    let o = bibkey(&["schemes"], b"");
    assert!(o.status.success());
    let iso9 = stdout_lines(&o).into_iter().find(|l| l.starts_with("iso9 ")).expect("iso9");
    for alias in ["uk-iso9", "be-iso9", "bg-iso9", "sr-iso9", "mk-iso9"] {
        assert!(iso9.contains(alias), "{iso9}");
    }
}

#[test]
fn the_line_limit_does_not_count_a_crlf() {
    // A line of exactly 1 MiB ending in CR LF is read; one byte more is over the limit, and --lossy copies it
    // through without its CR.
    let longest = vec![b'x'; 1 << 20];
    let mut input = longest.clone();
    input.extend_from_slice(b"\r\nByloe\r\n");
    let o = bibkey(&["cluster", "--no-nearest"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout.len(), 2 + (1 << 20) + 1 + "2\tByloe\n".len());
    assert!(o.stdout.ends_with(b"x\n2\tByloe\n"));
    let mut input = longest;
    input.extend_from_slice(b"y\r\nByloe\r\n");
    let o = bibkey(&["cluster", "--lossy", "--explain"], &input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"\tskipped\txxx"));
    assert!(
        o.stdout.ends_with(b"xy\n2\tnew\tByloe\n"),
        "{:?}",
        String::from_utf8_lossy(&o.stdout[o.stdout.len() - 20..])
    );
}

#[test]
fn invalid_utf8_in_a_table_or_given_names_file_names_its_line() {
    let head = "@id x-mine\n@name Mine\n@standard none, 2026\n@source test\n@lang ru\n";
    let table = temp_file("bad-utf8.tbl", &[head.as_bytes(), b"\xd0\xb0 a\n\xd0 b\n"].concat());
    let o = bibkey(&["romanize", "--table", &table], b"x\n");
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("{table}:7: invalid UTF-8")), "{}", stderr(&o));
    let names = temp_file("bad-utf8.tsv", b"# given names\n\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\tJohann\nLeo\t\xff\n");
    let o = bibkey(&["key", "--kind", "name", "--given-names", &names], b"x\n");
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("{names}:3: invalid UTF-8")), "{}", stderr(&o));
    std::fs::remove_file(table).ok();
    std::fs::remove_file(names).ok();
}

#[test]
fn match_citations_finds_the_cited_volume() {
    // Real works, hand-typed: Lenin's Polnoe sobranie sochinenii (5th ed.) vol. 33 holds "Gosudarstvo i
    // revoliutsiia", vol. 34 "Bol'sheviki dolzhny vziat' vlast'"; Trotsky's Istoriia russkoi revoliutsii (Berlin:
    // Granit, 1931-1933) in two volumes; the journal Proletarskaia revoliutsiia (1921-1941).
    let index = "lc-1\tPolnoe sobranie sochinenii. T. 33\tLenin, V. I. (Vladimir Ilʹich), 1870-1924\n\
                 lc-2\tPolnoe sobranie sochinenii. T. 34\tLenin, V. I. (Vladimir Ilʹich), 1870-1924\n\
                 r-3\tИстория русской революции. Т. 1\tТроцкий, Л. Д.\n\
                 r-4\tИстория русской революции. Т. 2\tТроцкий, Л. Д.\n\
                 lc-5\tProletarskai͡a revoli͡ut͡sii͡a\n\
                 lc-6\tKrasnyĭ arkhiv\n\
                 r-7\tГосударство и революция\tЛенин, В. И.\n";
    let path = temp_file("cite-index.tsv", index.as_bytes());
    let notes = [
        "Ленин В. И. Полн. собр. соч. Т. 34. С. 239.",
        "Lenin, V. I. Polnoe sobranie sochinenii, t. 33, s. 5.",
        "Ibid., p. 7.",
        "",
        "Троцкий Л. История русской революции. Т. 2. Берлин: Гранит, 1933. С. 15.",
        "Trotsky, L. Istoriia russkoi revoliutsii, t. 1, Berlin, 1931, s. 45.",
        "Proletarskaya revolyutsiya, no. 10 (69), 1927, pp. 246–7",
        "Ленин В. И. Государство и революция. Пг.: Жизнь и знание, 1918.",
        "Ibid., p. 7.",
    ];
    let input = notes.join("\n") + "\n";
    let o = bibkey(&["match", "--citations", "--index", &path, "--top", "3"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = stdout_lines(&o);
    let of = |q: &str| lines.iter().filter(|l| l.split('\t').next() == Some(q)).cloned().collect::<Vec<_>>();
    let ids = |q: &str| of(q).iter().map(|l| l.split('\t').nth(2).unwrap_or("").to_string()).collect::<Vec<_>>();
    // The cited volume and only it: vol. 33 is one edit from vol. 34, but numbers are not fuzzy.
    assert_eq!(ids("1"), ["lc-2"], "{lines:?}");
    assert_eq!(ids("2"), ["lc-1"], "{lines:?}");
    assert!(of("1")[0].starts_with("1\t1\tlc-2\t") && of("1")[0].contains("name exact"), "{lines:?}");
    // Ibid. is the note before it, and says so.
    assert_eq!(ids("3"), ["lc-1"], "{lines:?}");
    assert!(of("3")[0].ends_with(", ibid of line 2"), "{lines:?}");
    // An empty line ends the stream: it has a row of its own, and the Ibid. after the next notes is theirs.
    assert_eq!(of("4"), ["4\t\t\t\t"]);
    // Cyrillic and romanized citations find Cyrillic and ALA-LC records.
    assert_eq!(ids("5"), ["r-4"], "{lines:?}");
    assert_eq!(ids("6"), ["r-3"], "{lines:?}");
    assert_eq!(ids("7")[0], "lc-5", "{lines:?}");
    assert_eq!(ids("8")[0], "r-7", "{lines:?}");
    assert_eq!(ids("9")[0], "r-7", "{lines:?}");
    assert!(of("9")[0].ends_with(", ibid of line 8"), "{lines:?}");
    // Plain lines only.
    let o = bibkey(&["match", "--citations", "--index", &path, "--json"], b"{}\n");
    assert!(!o.status.success() && stderr(&o).contains("--citations"), "{}", stderr(&o));
    let _ = std::fs::remove_file(path);
}
