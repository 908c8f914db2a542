//! The message catalogues: Project Fluent files under `locales/<lang>/`, embedded in the binary,
//! one bundle per language. A translator changes a text by editing the `.ftl` file of that
//! language (the message id on the left stays); `cargo test -p regiosync-i18n` then checks that
//! every file parses and every id exists in every language.
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::Lang;

/// Every catalogue file, per language, in the order they are added (an id defined twice is an
/// error the test reports).
pub(crate) const FILES: [(Lang, &str, &str); 12] = [
    (Lang::Nl, "report.ftl", include_str!("../locales/nl/report.ftl")),
    (Lang::Nl, "codes.ftl", include_str!("../locales/nl/codes.ftl")),
    (Lang::Nl, "dashboard.ftl", include_str!("../locales/nl/dashboard.ftl")),
    (Lang::Nl, "cli.ftl", include_str!("../locales/nl/cli.ftl")),
    (Lang::Nl, "errors.ftl", include_str!("../locales/nl/errors.ftl")),
    (Lang::Nl, "commands.ftl", include_str!("../locales/nl/commands.ftl")),
    (Lang::En, "report.ftl", include_str!("../locales/en/report.ftl")),
    (Lang::En, "codes.ftl", include_str!("../locales/en/codes.ftl")),
    (Lang::En, "dashboard.ftl", include_str!("../locales/en/dashboard.ftl")),
    (Lang::En, "cli.ftl", include_str!("../locales/en/cli.ftl")),
    (Lang::En, "errors.ftl", include_str!("../locales/en/errors.ftl")),
    (Lang::En, "commands.ftl", include_str!("../locales/en/commands.ftl")),
];

/// The arguments of one message. Text goes in as it will be shown (numbers already formatted
/// by this crate); a count also goes in as a number, so the message can choose its plural
/// form (`{ $n -> [one] ... *[other] ... }`), with the formatted number as `$n_shown`.
#[derive(Default)]
pub struct Args<'a> {
    inner: FluentArgs<'a>,
}

impl<'a> Args<'a> {
    pub fn new() -> Args<'a> {
        Args::default()
    }

    pub fn text(mut self, name: &'a str, value: impl Into<String>) -> Args<'a> {
        self.inner.set(name, FluentValue::from(value.into()));
        self
    }

    /// A count: `$name` for choosing the plural, `$name_shown` formatted for `lang`.
    pub fn count(mut self, lang: Lang, name: &'a str, n: i64) -> Args<'a> {
        self.inner.set(name, FluentValue::from(n));
        self.inner
            .set(format!("{name}_shown"), FluentValue::from(crate::int(lang, n)));
        self
    }
}

/// One language's messages.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

static CATALOGS: LazyLock<Vec<Catalog>> = LazyLock::new(|| Lang::ALL.iter().map(|&l| Catalog::load(l)).collect());

impl Catalog {
    /// The catalogue of `lang` (built once, shared).
    pub fn of(lang: Lang) -> &'static Catalog {
        CATALOGS
            .iter()
            .find(|c| c.lang == lang)
            .expect("a catalogue per language")
    }

    pub(crate) fn load(lang: Lang) -> Catalog {
        let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a language tag");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Plain text out: no Unicode isolation marks around arguments (HTML, CSV, terminals).
        bundle.set_use_isolating(false);
        for (_, file, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
            let resource = FluentResource::try_new(text.to_string())
                .unwrap_or_else(|(_, errors)| panic!("locales/{lang}/{file} does not parse: {errors:?}"));
            bundle
                .add_resource(resource)
                .unwrap_or_else(|errors| panic!("locales/{lang}/{file}: {errors:?}"));
        }
        Catalog { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with `args`; `{id}` when the catalogue lacks it.
    pub fn t(&self, id: &str, args: &Args) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("{{{id}}}");
        };
        let mut errors = Vec::new();
        let args = args.inner.iter().next().is_some().then_some(&args.inner);
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// The message `id` without arguments.
    pub fn s(&self, id: &str) -> String {
        self.t(id, &Args::new())
    }

    /// The name of a code-list code in this language: the catalogue's `code-<list>-<code>`
    /// when it has one, else `dutch` (the code list's own name), else the code.
    pub fn code_name(&self, list: &str, code: &str, dutch: Option<&str>) -> String {
        let id = format!("code-{list}-{code}");
        match (self.has(&id), dutch) {
            (true, _) => self.s(&id),
            (false, Some(name)) => name.to_string(),
            (false, None) => code.to_string(),
        }
    }

    /// Whether the catalogue has `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}
