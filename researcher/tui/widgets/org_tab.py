"""The dossier's Organisation tab: the company's units as a tree (head counts, heads, reporting lines, whom you
know), built and changed from the keyboard: add, rename, move, delete units; place a person and their manager.

What it shows is researcher.insight.org.org_chart, as `researcher org C` prints it. The chart is read in a thread
twice: at once without warm paths (the tree shows), then with them (seconds for a big company), and the tree keeps
the user's place (unfolded branches, cursor) every time it is drawn again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from researcher.insight.org import WARM_COST, OrgChart, OrgNode, OrgPerson, org_chart
from researcher.store import Notebook, NotFound, ResearcherError
from researcher.tui import safe
from researcher.tui.widgets.confirm import ConfirmModal
from researcher.tui.widgets.unit_picker import NONE, Picker, people_choices, unit_choices

# A unit lists this many people unfolded; more wait in a folded branch, added when it unfolds: a tree node costs
# the event loop to add and to show (a fifth of a second for the 1,400 people in the units of the biggest company).
ORG_UNFOLDED = 25
# Reporting lines are drawn as indents, this deep at most (deeper lines keep the last indent).
MAX_INDENT = 6
NO_UNIT = "(no unit)"


@dataclass(frozen=True)
class UnitRef:
    """A unit's node; id None is the branch of the people in no unit."""

    id: int | None
    name: str


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    unit_id: int | None


def _key(node: TreeNode) -> tuple[str, Any] | None:
    """What a node stands for, the same from one drawing of the tree to the next."""
    data = node.data
    if isinstance(data, UnitRef):
        return ("unit", data.id)
    if isinstance(data, PersonRef):
        return ("person", data.id)
    if isinstance(data, list):  # a folded branch of people: one per unit
        parent = node.parent.data if node.parent is not None else None
        return ("fold", parent.id if isinstance(parent, UnitRef) else None)
    return None


def _warm(p: OrgPerson) -> bool:
    return p.path_cost is not None and p.path_cost <= WARM_COST


def reporting_lines(people: list[OrgPerson], head_id: int | None) -> list[tuple[OrgPerson, int]]:
    """A unit's people in the order of their reporting lines, each with its depth under the unit's top people
    (the head first); someone whose manager is in another unit starts a line of their own."""
    here = {p.person_id: p for p in people}
    tops = [p for p in people if p.manager_id not in here]
    tops.sort(key=lambda p: p.person_id != head_id)  # stable: by name otherwise
    lines: list[tuple[OrgPerson, int]] = []
    seen: set[int] = set()
    stack = [(p, 0) for p in reversed(tops)]
    while stack:
        person, depth = stack.pop()
        if person.person_id in seen:
            continue
        seen.add(person.person_id)
        lines.append((person, depth))
        reports = sorted((here[r] for r in person.reports if r in here), key=lambda p: p.name.casefold())
        stack.extend((r, depth + 1) for r in reversed(reports))
    lines += [(p, 0) for p in people if p.person_id not in seen]  # a loop of managers: shown flat
    return lines


def _shape(chart: OrgChart) -> tuple:
    """What the tree's nodes depend on (not the warm paths, which only change labels)."""

    def people(ps: list[OrgPerson]) -> tuple:
        return tuple((p.person_id, p.name, p.title, p.manager_id) for p in ps)

    units = tuple((u.id, u.parent_id, u.name, u.head_id, people(u.people)) for u, _ in chart.walk())
    return chart.company, units, people(chart.unplaced)


def _no_unit(chart: OrgChart) -> OrgNode:
    """The people in no unit, as a unit of their own in the tree."""
    return OrgNode(0, NO_UNIT, None, people=chart.unplaced, headcount=len(chart.unplaced))


def _lines(unit: OrgNode, me: int | None) -> list[tuple[OrgPerson, int, bool, bool]]:
    """A unit's people as the tree lists them: each with its depth, whether it heads the unit, whether it is me."""
    return [
        (p, depth, p.person_id == unit.head_id, p.person_id == me)
        for p, depth in reporting_lines(unit.people, unit.head_id)
    ]


def unit_label(unit: OrgNode, names: dict[int, str], known: list[int]) -> Text:
    text = Text.assemble(safe.line(unit.name, style="bold"), (f"  {unit.headcount}", "dim"))
    if unit.total != unit.headcount:
        text.append(f" ({unit.total} with sub-units)", style="dim")
    if unit.head_id in names:
        text.append(" · head ", style="dim")
        text.append_text(safe.line(names[unit.head_id]))
    if known:
        text.append(f" · you know {len(known)}", style="green")
    return text


def person_label(p: OrgPerson, depth: int, head: bool, me: bool, unit_id: int | None) -> Text:
    text = Text("  " * min(depth, MAX_INDENT) + ("└ " if depth else ""), style="dim")
    if _warm(p) and not me:
        text.append("● ", style="green")
    text.append_text(safe.line(p.name, style="bold" if head else ""))
    text.append("  ")
    text.append_text(safe.line(p.title, style="dim"))
    if head:
        text.append(" · head", style="yellow")
    if p.manager and depth == 0:
        text.append(" · reports to ", style="dim")
        text.append_text(safe.line(p.manager, style="dim"))
    if me:
        text.append(" · you", style="dim italic")
    elif _warm(p):
        text.append(" · you know them" if not p.via else " · via " + ", ".join(p.via[:2]), style="green")
    return text


class OrgTree(Tree):
    """The tree itself: `enter` opens a person, unfolds a unit (the tab's keys are on OrgTab)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.auto_expand = False  # enter on a person opens them; on a unit it folds/unfolds (on_tree_node_selected)


class OrgTab(Vertical):
    BINDINGS = [
        Binding("a", "add_unit", "Add unit", tooltip="A unit under the highlighted one (at the top on the company)"),
        Binding("e", "edit", "Rename/edit", tooltip="Rename the highlighted unit; a person: their position here"),
        Binding("m", "move", "Move", tooltip="The highlighted unit under another one; a person into a unit"),
        Binding("r", "reports_to", "Reports to", tooltip="Whom the highlighted person reports to"),
        Binding("d", "delete", "Delete unit", tooltip="Its people keep their positions, with no unit (asks first)"),
    ]
    DEFAULT_CSS = """
    OrgTab #org-detail {
        height: auto;
        max-height: 3;
        padding: 0 1;
        border-top: hkey $primary 40%;
    }
    """

    def __init__(self, company_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.company_id = company_id
        self.chart: OrgChart | None = None
        self._generation = 0
        self._collapsed: set[tuple[str, Any]] = set()  # units the user folded (units start unfolded)
        self._unfolded: set[tuple[str, Any]] = set()  # people branches the user unfolded (they start folded)
        self._want: tuple[str, Any] | None = None  # where the cursor goes after the next drawing
        self._known: dict[int, list[int]] = {}  # the last warm paths: units -> people I know there
        self._warm: dict[int, OrgPerson] = {}  # and people -> their path
        self._shape: tuple = ()  # what the tree on screen was drawn from
        self._kind = ""  # what the cursor is on: "unit", "person" or neither (the keys that apply follow it)

    def compose(self) -> ComposeResult:
        yield OrgTree("Organisation", id="org-tree")
        yield Static(id="org-detail")

    @property
    def tree(self) -> OrgTree:
        return self.query_one(OrgTree)

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        """Read the chart again (in a thread); the tree keeps its place when it is drawn again."""
        if self.chart is None:
            self.tree.loading = True
        self._generation += 1
        self._load(self._generation)

    @work(thread=True, exclusive=True, group="org-tab", exit_on_error=False)
    def _load(self, generation: int) -> None:
        try:
            with Notebook(self.app.db_path, create=False) as nb:  # type: ignore[attr-defined]
                chart = org_chart(nb, self.company_id, paths=False)
                self.app.call_from_thread(self._show, generation, chart)
                if nb.me() is not None and chart.headcount:
                    self.app.call_from_thread(self._show, generation, org_chart(nb, self.company_id, paths=True))
        except Exception as exc:  # shown the one way every error is
            self.app.call_from_thread(self._failed, generation, exc)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation or not self.is_mounted:
            return
        self.tree.loading = False
        gone = getattr(self.screen, "_company_gone", None)
        if isinstance(exc, NotFound) and gone is not None:
            gone()
        else:
            self.app.report(exc)  # type: ignore[attr-defined]

    def _show(self, generation: int, chart: OrgChart) -> None:
        if generation != self._generation or not self.is_mounted:
            return
        if chart.paths:
            self._known = {unit.id: unit.known for unit, _ in chart.walk()}
            self._warm = {p.person_id: p for p in self._people(chart) if p.path_cost is not None}
        else:  # until the paths arrive, those found last time
            for p in self._people(chart):
                if p.person_id in self._warm:
                    p.path_cost, p.via = self._warm[p.person_id].path_cost, self._warm[p.person_id].via
        first, self.chart = self.chart is None, chart
        self.tree.loading = False
        self._draw(chart)
        if first and self.parent is not None and self.parent.display:
            self.tree.focus()  # the tab is in view: its tree takes the keys (a tree loading could not)

    @staticmethod
    def _people(chart: OrgChart) -> list[OrgPerson]:
        return [p for unit, _ in chart.walk() for p in unit.people] + chart.unplaced

    # -- drawing -----------------------------------------------------------------

    def _draw(self, chart: OrgChart) -> None:
        tree = self.tree
        shape = _shape(chart)
        if shape == self._shape and self._want is None:
            self._relabel(chart)  # only warm paths (or nothing) changed: the tree stays as it is, labels aside
            return
        self._shape = shape
        self._remember(tree)
        want = self._want
        if want is None and tree.cursor_node is not None:
            want = _key(tree.cursor_node)
        line = tree.cursor_line
        self._reveal(chart, want)
        names, me = self._names(chart)
        tree.clear()
        root = tree.root
        root.set_label(
            Text.assemble(safe.line(chart.company, style="bold"), (f"  {chart.headcount} people now", "dim"))
        )
        for unit in chart.units:
            self._add_unit(root, unit, names, me)
        if chart.unplaced or not chart.units:
            self._add_unit(root, _no_unit(chart), names, me, ref=UnitRef(None, NO_UNIT))
        root.expand()
        self.call_after_refresh(self._restore, want, line)

    def _add_unit(
        self, node: TreeNode, unit: OrgNode, names: dict[int, str], me: int | None, ref: UnitRef | None = None
    ) -> None:
        ref = ref or UnitRef(unit.id, unit.name)
        if ref.id is None:
            label = Text.assemble((NO_UNIT, "italic"), (f"  {unit.headcount}", "dim"))
            if self.chart is not None and not self.chart.units:
                label.append(" · no units recorded yet: a adds one", style="dim italic")
        else:
            label = unit_label(unit, names, unit.known if unit.known else self._known.get(unit.id, []))
        branch = node.add(label, data=ref, expand=("unit", ref.id) not in self._collapsed)
        lines = _lines(unit, me)  # its own people first, the head on top, then its sub-units
        if len(unit.people) > ORG_UNFOLDED:
            unfolded = ("fold", ref.id) in self._unfolded
            fold = branch.add(Text(f"{len(unit.people)} people (enter unfolds)", style="dim italic"), data=lines)
            if unfolded:
                self._add_people(fold, lines, ref.id)
                fold.expand()
        else:
            self._add_people(branch, lines, ref.id)
        for child in unit.children:
            self._add_unit(branch, child, names, me)

    def _names(self, chart: OrgChart) -> tuple[dict[int, str], int | None]:
        """Everyone's name by id, and mine if I work there."""
        people = self._people(chart)
        return {p.person_id: p.name for p in people}, next((p.person_id for p in people if p.path_cost == 0), None)

    def _relabel(self, chart: OrgChart) -> None:
        """The same tree with the chart's labels (warm paths arrived): no node added, the place untouched."""
        names, me = self._names(chart)
        units: dict[int | None, OrgNode] = {u.id: u for u, _ in chart.walk()}
        units[None] = _no_unit(chart)
        lines = {uid: {p.person_id: (p, d, h, m) for p, d, h, m in _lines(u, me)} for uid, u in units.items()}
        stack = list(self.tree.root.children)
        while stack:
            node = stack.pop()
            data = node.data
            if isinstance(data, UnitRef) and data.id in units and data.id is not None:
                unit = units[data.id]
                node.set_label(unit_label(unit, names, unit.known if unit.known else self._known.get(unit.id, [])))
            elif isinstance(data, PersonRef) and data.id in lines.get(data.unit_id, {}):
                p, depth, head, mine = lines[data.unit_id][data.id]
                node.set_label(person_label(p, depth, head, mine, data.unit_id))
            elif isinstance(data, list) and node.parent is not None and isinstance(node.parent.data, UnitRef):
                node.data = list(lines[node.parent.data.id].values())  # the people added when it unfolds
            stack.extend(node.children)
        self._detail()

    @staticmethod
    def _add_people(node: TreeNode, lines: list, unit_id: int | None) -> None:
        for p, depth, head, me in lines:
            node.add_leaf(person_label(p, depth, head, me, unit_id), data=PersonRef(p.person_id, p.name, unit_id))

    def _remember(self, tree: Tree) -> None:
        """Which units the user folded and which people branches they unfolded, read off the tree as it is."""
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            key = _key(node)
            if key is None or key[0] == "person":
                continue
            if key[0] == "unit":
                (self._collapsed.discard if node.is_expanded else self._collapsed.add)(key)
            elif key[0] == "fold":
                (self._unfolded.add if node.is_expanded else self._unfolded.discard)(key)
            stack.extend(node.children)

    def _reveal(self, chart: OrgChart, want: tuple[str, Any] | None) -> None:
        """Unfold what hides the node the cursor goes to (a unit just moved, a person just placed)."""
        if want is None or want[0] not in ("unit", "person"):
            return
        parents = {unit.id: unit.parent_id for unit, _ in chart.walk()}
        at: int | None = None
        if want[0] == "unit":
            at = parents.get(want[1])
        else:
            for unit, _ in chart.walk():
                if any(p.person_id == want[1] for p in unit.people):
                    at = unit.id
                    if len(unit.people) > ORG_UNFOLDED:
                        self._unfolded.add(("fold", unit.id))
            if (
                at is None
                and len(chart.unplaced) > ORG_UNFOLDED
                and any(p.person_id == want[1] for p in chart.unplaced)
            ):
                self._unfolded.add(("fold", None))
                self._collapsed.discard(("unit", None))
        seen: set[int] = set()
        while at is not None and at not in seen:
            seen.add(at)
            self._collapsed.discard(("unit", at))
            at = parents.get(at)

    def _restore(self, want: tuple[str, Any] | None, line: int) -> None:
        self._want = None
        tree = self.tree
        node = self._find(want) if want is not None else None
        if node is not None and node.line >= 0:
            tree.move_cursor(node)
        elif line >= 0:
            tree.cursor_line = min(line, tree.last_line)
        self._detail()

    def _find(self, key: tuple[str, Any]) -> TreeNode | None:
        stack = [self.tree.root]
        while stack:
            node = stack.pop()
            if _key(node) == key:
                return node
            stack.extend(node.children)
        return None

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        """A big unit's people are added when their branch unfolds."""
        node = event.node
        if isinstance(node.data, list) and not node.children:
            parent = node.parent.data if node.parent is not None else None
            self._add_people(node, node.data, parent.id if isinstance(parent, UnitRef) else None)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if isinstance(event.node.data, PersonRef):
            self.app.open_person(event.node.data.id)  # type: ignore[attr-defined]
        else:
            event.node.toggle()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._detail()
        current = self._current()
        kind = "person" if isinstance(current, PersonRef) else "unit" if current and current.id is not None else ""
        if kind != self._kind:  # the footer is drawn again for each change of the keys: only when they change
            self._kind = kind
            self.screen.refresh_bindings()

    # -- what is highlighted -----------------------------------------------------------

    def _current(self) -> UnitRef | PersonRef | None:
        node = self.tree.cursor_node
        data = node.data if node is not None else None
        if isinstance(data, list) and node is not None and node.parent is not None:
            return node.parent.data if isinstance(node.parent.data, UnitRef) else None
        return data if isinstance(data, (UnitRef, PersonRef)) else None

    def _unit(self, unit_id: int | None) -> OrgNode | None:
        if self.chart is None or unit_id is None:
            return None
        return next((u for u, _ in self.chart.walk() if u.id == unit_id), None)

    def _person(self, person_id: int) -> OrgPerson | None:
        return next((p for p in self._people(self.chart) if p.person_id == person_id), None) if self.chart else None

    def highlighted_person(self) -> PersonRef | None:
        """For a note on what is in focus."""
        current = self._current()
        return current if isinstance(current, PersonRef) else None

    def _detail(self) -> None:
        detail = self.query_one("#org-detail", Static)
        current, chart = self._current(), self.chart
        if chart is None:
            return
        text = Text()
        if isinstance(current, PersonRef) and (p := self._person(current.id)) is not None:
            text.append_text(safe.line(p.name, style="bold"))
            unit = self._unit(p.unit_id)
            text.append_text(safe.line(f"  {p.title or '?'}, {unit.name if unit else 'no unit'}", style="dim"))
            text.append_text(safe.line(f" · reports to {p.manager}" if p.manager else " · reports to nobody recorded"))
            if p.reports:
                text.append(f" · {len(p.reports)} report to them")
            if p.path_cost == 0:
                text.append("\nThis is you.", style="dim italic")
            elif p.path_cost is not None:
                text.append_text(safe.line("\nWarmest path: you → " + " → ".join([*p.via, p.name]), style="green"))
            text.append("\nenter opens · m into a unit · r whom they report to · e their position", "dim")
        elif isinstance(current, UnitRef) and current.id is not None and (unit := self._unit(current.id)):
            names = {p.person_id: p.name for p in self._people(chart)}
            text.append_text(safe.line(unit.name, style="bold"))
            text.append(f"  {unit.headcount} here, {unit.total} with sub-units", style="dim")
            known = unit.known or self._known.get(unit.id, [])
            if known:
                text.append_text(safe.line(" · you know " + ", ".join(names.get(i, "?") for i in known[:5]), "green"))
            text.append("\na adds a unit under it · e renames · m moves · d deletes (its people stay)", "dim")
        else:
            text.append(f"{chart.headcount} people now · {len(chart.unplaced)} in no unit", style="dim")
            text.append("\na adds a unit · enter on a person opens them", style="dim")
        detail.update(text)

    # -- keys ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self._current()
        unit = isinstance(current, UnitRef) and current.id is not None
        person = isinstance(current, PersonRef)
        if action in ("edit", "move"):
            return True if unit or person else None
        if action == "reports_to":
            return True if person else None
        if action == "delete":
            return True if unit else None
        return True

    def _changed(self, want: tuple[str, Any] | None) -> None:
        self._want = want
        self.reload()

    def action_add_unit(self) -> None:
        """A unit under the highlighted unit (a person's: their unit; the company: at the top)."""
        if self.chart is None:
            return
        current = self._current()
        parent = self._unit(current.id if isinstance(current, UnitRef) else current.unit_id if current else None)
        if parent is not None:
            self._collapsed.discard(("unit", parent.id))

        from researcher.tui.widgets.unit_form import UnitForm

        form = UnitForm(self.company_id, self.chart.company, parent=parent.name if parent else None)
        self.app.push_screen(form, lambda unit_id: unit_id is not None and self._changed(("unit", unit_id)))

    def action_edit(self) -> None:
        """Rename the highlighted unit; on a person, their position here (unit and whom they report to)."""
        current = self._current()
        if self.chart is None or current is None:
            return
        if isinstance(current, UnitRef):
            if current.id is None:
                return
            from researcher.tui.widgets.unit_form import UnitForm

            form = UnitForm(self.company_id, self.chart.company, unit=current.name)
            self.app.push_screen(form, lambda unit_id: unit_id is not None and self._changed(("unit", unit_id)))
            return
        from researcher.tui.widgets.position_form import PositionForm

        nb = self.app.nb  # type: ignore[attr-defined]
        try:
            held = nb.current_position_at(current.id, self.company_id)
            if held is None:
                raise NotFound(f"{current.name} holds no current position here any more")
            form = PositionForm(nb.person(current.id), nb.position(held["id"]))
        except ResearcherError as exc:
            self.app.report(exc)  # type: ignore[attr-defined]
            return
        self.app.push_screen(form, lambda saved: saved is not None and self._changed(("person", current.id)))

    def action_move(self) -> None:
        """Move the highlighted unit under another one (or to the top); a person into a unit (or none)."""
        current, chart = self._current(), self.chart
        if chart is None or current is None or (isinstance(current, UnitRef) and current.id is None):
            return
        nb = self.app.nb  # type: ignore[attr-defined]
        if isinstance(current, UnitRef):
            unit = self._unit(current.id)
            now = self._unit(unit.parent_id) if unit else None
            title = Text.assemble(("Move ", "bold"), safe.line(current.name, style="bold"), (" under…", "bold"))
            choices = unit_choices(chart, "(at the top)", now.id if now else None)
            picker = Picker(title, choices, lambda v: nb.move_org_unit(self.company_id, current.name, v or None),
                            now.name if now else NONE)  # fmt: skip
            want: tuple[str, Any] = ("unit", current.id)
        else:
            unit = self._unit(current.unit_id)
            title = Text.assemble(("Place ", "bold"), safe.line(current.name, style="bold"), (" in…", "bold"))
            choices = unit_choices(chart, NO_UNIT, current.unit_id)
            picker = Picker(title, choices, lambda v: nb.place_person(self.company_id, current.id, unit=str(v)),
                            unit.name if unit else NONE)  # fmt: skip
            want = ("person", current.id)
        self.app.push_screen(picker, lambda value: value is not None and self._changed(want))

    def action_reports_to(self) -> None:
        """Whom the highlighted person reports to: one of the company's people, or nobody."""
        current, chart = self._current(), self.chart
        if chart is None or not isinstance(current, PersonRef):
            return
        nb = self.app.nb  # type: ignore[attr-defined]
        person = self._person(current.id)
        manager = person.manager_id if person else None
        title = Text.assemble(safe.line(current.name, style="bold"), (" reports to…", "bold"))
        picker = Picker(title, people_choices(chart, current.id, manager),
                        lambda v: nb.place_person(self.company_id, current.id, reports_to=v), manager or NONE)  # fmt: skip
        self.app.push_screen(picker, lambda value: value is not None and self._changed(("person", current.id)))

    def action_delete(self) -> None:
        """Delete the highlighted unit, asking first: its people keep their positions, its sub-units move up."""
        current = self._current()
        if not isinstance(current, UnitRef) or current.id is None:
            return
        unit = self._unit(current.id)
        question = Text.assemble(("Delete the unit ", ""), safe.line(current.name, style="bold"), "?")
        if unit is not None:
            question.append(
                f"\nIts {unit.headcount} people keep their positions, with no unit"
                + (f"; its {len(unit.children)} sub-units move up." if unit.children else ".")
            )
        parent = unit.parent_id if unit else None

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = self.app.nb.remove_org_unit(self.company_id, current.name)  # type: ignore[attr-defined]
            except ResearcherError as exc:
                self.app.report(exc)  # type: ignore[attr-defined]
                return
            self.app.notify(
                f"Removed {done['unit']['name']}: {done['people_cleared']} people in no unit now", markup=False
            )
            self._changed(("unit", parent) if parent is not None else None)

        self.app.push_screen(ConfirmModal(question), answered)
