//! The manual page regiosync(1), generated with clap_mangen from the command line itself (one
//! source of truth: the options and commands are the ones `--help` shows), the options of
//! `regiosync node` among them, followed by what a daemon's page says beyond its options: the
//! files, the environment, the signals and the exit status. The Debian package ships it
//! (`packaging/debian/build.sh` writes it with `regiosync man`).
use std::io::Write;

use anyhow::{Context, Result};

/// What the page says beyond the command line (roff).
const DAEMON_SECTIONS: &str = r#".SH FILES
.TP
\fI/etc/regiosync/node.toml\fR
The node's configuration, as the Debian package installs it (a conffile): node id, listen
address, data folder, TLS files, peers. Check it with \fBregiosync node \-\-check \-\-config
/etc/regiosync/node.toml\fR.
.TP
\fI/etc/regiosync/federation.toml\fR
The federation's members: ids, kinds, names, neighbours and the CAs allowed to issue each
member's certificates. Every node of a federation has the same file.
.TP
\fI/etc/regiosync/tls/\fR
\fIca.pem\fR (the federation's CAs), \fInode.pem\fR and \fInode.key\fR (this node's certificate
and key), \fIcrl.pem\fR (the CRLs in force), readable by the \fBregiosync\fR user only.
.TP
\fI/var/lib/regiosync/\fR
The data folder: the store (\fIdb/\fR), the audit log (\fIaudit.log\fR) and backups
(\fIbackups/\fR).
.SH ENVIRONMENT
.TP
\fBRUST_LOG\fR
Which log lines are written to stderr (default \fIinfo\fR for \fBnode\fR, \fIwarn\fR
otherwise), e.g. \fIwarn,regiosync_node=debug\fR. A value that does not parse is an error at
start.
.TP
\fBREGIOSYNC_LOG_FORMAT\fR
As \fB\-\-log\-format\fR: \fItext\fR (coloured only when stderr is a terminal) or \fIjson\fR.
.TP
\fBREGIOSYNC_NODE\fR, \fBREGIOSYNC_PKI\fR, \fBREGIOSYNC_AS\fR
As \fB\-\-node\fR, \fB\-\-pki\fR and \fB\-\-as\fR for the client commands.
.SH SIGNALS
.TP
\fBSIGTERM\fR, \fBSIGINT\fR
The node stops: it finishes what it stored and closes its connections.
.TP
\fBSIGHUP\fR
The node reads its certificate, key and CRLs again (\fBsystemctl reload regiosync\fR).
.SH "EXIT STATUS"
0 on success; 1 on an error, which is printed on stderr (for \fBnode \-\-check\fR: one or more
problems, each as \fIfile\fR:\fIline\fR:\fIcolumn\fR: \fIkey\fR: \fIwhat\fR); 2 for a command
line that does not parse.
.SH "SEE ALSO"
\fBsystemctl\fR(1), \fBjournalctl\fR(1), \fBsystemd.exec\fR(5)
"#;

/// Text for roff: backslashes and hyphens escaped, no line starting with a control character.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    match escaped.starts_with(['.', '\'']) {
        true => format!("\\&{escaped}"),
        false => escaped,
    }
}

/// The COMMANDS section: every command `regiosync help` lists, with what it does (this page is
/// the only one: the commands have no pages of their own, their options are in `--help`).
fn commands(cmd: &clap::Command) -> String {
    let mut roff = String::from(
        ".SH COMMANDS\nEach command's own options: \\fBregiosync\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR.\n",
    );
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        roff.push_str(&format!(
            ".TP\n\\fBregiosync {}\\fR\n{}\n",
            roff_text(sub.get_name()),
            roff_text(&about)
        ));
    }
    roff
}

/// Write regiosync(1) for the command line `cmd` to `out`.
pub fn write(cmd: clap::Command, out: &mut dyn Write) -> Result<()> {
    let node = cmd
        .find_subcommand("node")
        .cloned()
        .context("the man page: no `node` command")?;
    let ids: Vec<clap::Id> = node.get_arguments().map(|a| a.get_id().clone()).collect();
    let node = ids.iter().fold(node.disable_help_flag(true), |node, id| {
        node.mut_arg(id, |a| a.help_heading("Options of regiosync node"))
    });
    let commands = commands(&cmd);
    let man = clap_mangen::Man::new(cmd)
        .section("1")
        .source(format!("regiosync {}", crate::VERSION))
        .manual("regiosync");
    let render = || -> std::io::Result<()> {
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        man.render_options_section(out)?;
        clap_mangen::Man::new(node).render_options_section(out)?;
        out.write_all(commands.as_bytes())?;
        out.write_all(DAEMON_SECTIONS.as_bytes())?;
        man.render_version_section(out)
    };
    render().context("writing the man page")
}
