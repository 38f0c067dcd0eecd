#!/usr/bin/env python3
"""Build a big synthetic notebook, deterministic from --seed (and --today), for benchmarks and scale tests.

At the default size (every count scales with --people, the news with --news):

  companies      3,000: invented names, Zipf-skewed in size (one very big one, two thirds with fewer than
                 40 stints), sectors, locations, sizes; pipeline statuses (targets, applied, interviewing...)
  people         50,000, careers of 2-6 positions since 2000 (about 200,000 positions: titles on a ladder
                 per function, some at untracked companies); headlines, locations, profile URLs on the
                 networks (about 10% on none); "me" is person 1, with about 150 relationships
  relationships  about 50,000, most between former colleagues
  approach       about 2,000 people: statuses, priorities, next steps dated around --today (some due or
                 overdue), with their status history; about 30,000 interactions over the last 3 years
                 (some contacts gone quiet); a few hundred invitations (drafts and sent)
  organisation   a tree of 5-30 units in each of the 100 biggest companies, people placed in them;
                 about 10 terms per company in the pipeline, a few global ones
  news           6,000 feeds (2 per company on average, a few failing), 1,000,000 items over the last
                 2 years (about 10% unread, a few starred, some deleted), some naming the notebook's people
  notes          20,000, in Markdown, on companies, people and news items

All names are invented and every URL is on the .example domain. Rows are written through
researcher.store.bulk (the store is the only code that writes SQL): one transaction per table, news
indexed for search in one statement at the end, then ANALYZE and a WAL checkpoint. The notebook is
built next to PATH and renamed into place when it is complete.

  .venv/bin/python benchmarks/make_notebook.py --db /tmp/big.db                  # full size, about a minute
  .venv/bin/python benchmarks/make_notebook.py --db /tmp/small.db --people 500 --news 5000 --check
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from slugify import slugify  # noqa: E402

from researcher import clock  # noqa: E402
from researcher.store import Notebook  # noqa: E402
from researcher.store.bulk import BulkLoader, content_digest, table_counts, verify  # noqa: E402
from researcher.store.network import PROFILE_ITEMS  # noqa: E402

# -- the shared model (benchmarks/path_scale.py builds its notebook from it too) ---------------------

FIRST = """Ada Adam Agata Ahmed Aino Alba Aleksander Alice Amaia Amir Ana Anders Andrea Anja Anna Antoine Arne
Astrid Aurora Axel Beatriz Ben Bianca Björn Bruno Camille Carla Carlos Carmen Caroline Cécile Charlotte Chiara
Clara Claude Daniel Dario Dorota Eamon Edith Elena Elias Elif Emil Emma Enzo Erik Ester Eva Fabian Felix Filip
Fiona Florian Francesca Frida Gabriel Greta Hana Hannah Hugo Ida Igor Ilse Inès Irene Isak Ivan Jakub Jan Jana
Javier Jonas Jorge Josef Julia Julien Kai Karin Karol Kasia Klara Lars Laura Lea Leon Lina Linnea Lorenzo Lucas
Lucía Luka Magda Maja Marco Maria Marie Marta Martin Mateo Matteo Max Mia Mikael Milan Mira Nadia Nico Nils Noah
Nora Olga Oliver Omar Oskar Paula Paulina Pedro Petra Pierre Piotr Rafael Rosa Ruth Sara Sebastian Selma Sofia
Sven Theo Tomasz Ulla Valentin Vera Victor Wiktor Yara Yusuf Zofia Zoé""".split()
LAST = """Abad Albrecht Alonso Andersen Arnaud Bauer Becker Berg Bernard Blanco Bonnet Brandt Brun Carvalho
Castro Costa Dąbrowski David Delgado Dubois Dumont Eriksson Fabre Falk Fernández Ferrari Fischer Fontaine Garnier
García Gauthier Gomes Graf Gruber Hansen Hartmann Hoffmann Horvat Huber Jansen Jensen Kaiser Keller Klein Koch
Kowalski Krause Kuhn Lambert Lang Larsen Laurent Lehmann Lewandowski Lindqvist Lopes López Lorenz Maier Marchetti
Martin Meier Mercier Meyer Moreau Morel Müller Nielsen Novak Nowak Olsen Ortega Pereira Petersen Petit Pinto
Richter Rossi Roux Ruiz Santos Schmid Schneider Schulz Silva Simon Sousa Svensson Torres Vidal Vogel Wagner Weber
Wiśniewski Wójcik Wolf Zieliński""".split()
SYLLABLES = """al an ar bel ber bo ca cor da del en fa gen hel in ka lin lo ma mar mo na nor pa ri ro sa sol
ta tec ter va ven vi zu""".split()
SUFFIXES = ["GmbH", "SA", "SAS", "AG", "Ltd", "SL", "BV", "AB", "Sp. z o.o.", "Group", "Labs", "Systems"]
FIRST_MONTH = 2000 * 12  # careers start in 2000 at the earliest
LINK_KINDS = ["knows", "worked_with", "introduced_by"]


def month_text(index: int) -> str:
    """A month index (year * 12 + month - 1) as YYYY-MM."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def company_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct invented company names ("Marvelo GmbH")."""
    names, seen = [], set()
    for _ in range(count):
        while True:
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            name = f"{name} {rng.choice(SUFFIXES)}"
            if name not in seen:
                seen.add(name)
                names.append(name)
                break
    return names


def zipf_weights(count: int, exponent: float = 0.8) -> list[float]:
    """Company popularity by rank: a few very large companies, a long tail of small ones."""
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@dataclass
class Stint:
    """One position of a career: company_id is None at an untracked company; start/end are month indexes."""

    company_id: int | None
    chosen: int  # the company drawn (kept for an untracked one's name)
    start: int | None
    end: int | None


def career(
    rng: random.Random, company_ids: list[int], weights: list[float], first_month: int, last_month: int
) -> list[Stint]:
    """2-6 positions between first_month and last_month, at companies drawn by popularity: about 4%
    at untracked companies, 1% with an unknown start, most careers ending in an open position."""
    count = rng.randint(2, 6)
    lengths = [rng.randint(6, 84) for _ in range(count)]
    gaps = [rng.randint(0, 6) for _ in range(count)]
    # The career starts early enough to fit between first_month and now.
    month = rng.randint(first_month, max(first_month, last_month - sum(lengths) - sum(gaps) + 24))
    chosen = rng.choices(company_ids, weights=weights, k=count)
    stints = []
    for i, cid in enumerate(chosen):
        if month > last_month:
            break
        end = month + lengths[i] - 1
        last = i == count - 1
        open_end = end >= last_month or (last and rng.random() < 0.7)
        untracked = rng.random() < 0.04
        unknown_start = rng.random() < 0.01
        stints.append(
            Stint(
                company_id=None if untracked else cid,
                chosen=cid,
                start=None if unknown_start else month,
                end=None if (open_end or unknown_start) else min(end, last_month),
            )
        )
        if open_end:
            break
        month = end + 1 + gaps[i]
    return stints


def declared_links(
    rng: random.Random,
    people: int,
    at_company: dict[int, list[int]],
    my_companies: list[int],
    total: int,
    mine: int = 150,
) -> list[tuple[int, int, str, int]]:
    """About `total` relationships (person, other, kind, strength): `mine` tries for person 1 ("me"),
    most of them with my former colleagues, then 70% between people of the same company, 30% at random."""
    links: list[tuple[int, int, str, int]] = []
    pairs: set[tuple[int, int, str]] = set()

    def add(a: int, b: int) -> None:
        kind = rng.choices(LINK_KINDS, weights=[6, 3.5, 0.5])[0]
        if a == b or (a, b, kind) in pairs or (b, a, kind) in pairs:
            return
        pairs.add((a, b, kind))
        links.append((a, b, kind, rng.choice([1, 2, 2, 3])))

    for _ in range(mine):
        if my_companies and rng.random() < 0.6:
            add(1, rng.choice(at_company[rng.choice(my_companies)]))
        else:
            add(1, rng.randint(2, people))
    crowds = [c for c in at_company if len(at_company[c]) > 1]
    crowd_weights = [len(at_company[c]) for c in crowds]
    while len(links) < total:
        if rng.random() < 0.7:
            crowd = at_company[rng.choices(crowds, weights=crowd_weights)[0]]
            add(rng.choice(crowd), rng.choice(crowd))
        else:
            add(rng.randint(1, people), rng.randint(1, people))
    return links


# -- vocabulary (all invented or generic) --------------------------------------------------------------


def _weights(text: str) -> dict[str, float]:
    """A dict from "name: weight; name: weight" (a few lines of text rather than one line per entry)."""
    pairs = (item.rsplit(":", 1) for item in " ".join(text.split()).split("; "))
    return {name.strip(): float(weight) for name, weight in pairs}


SECTORS = _weights(
    """Fintech: 9; Software: 9; Health tech: 6; Energy transition: 6; Mobility: 5; Logistics: 5; Retail: 5;
E-commerce: 5; Cybersecurity: 4; Insurance: 4; Manufacturing: 4; Consulting: 4; Media: 3; Telecom: 3;
Biotech: 3; Developer tools: 3; HR tech: 2; Edtech: 2; Agritech: 2; Real estate: 2; Aerospace: 2; Gaming: 2;
Travel: 2; Food & beverage: 2; Public sector: 1"""
)
CITIES = _weights(
    """Berlin, Germany: 8; Paris, France: 8; London, United Kingdom: 7; Amsterdam, Netherlands: 5;
Munich, Germany: 5; Madrid, Spain: 5; Barcelona, Spain: 4; Lyon, France: 4; Warsaw, Poland: 4;
Stockholm, Sweden: 4; Hamburg, Germany: 3; Milan, Italy: 3; Lisbon, Portugal: 3; Vienna, Austria: 3;
Zurich, Switzerland: 3; Copenhagen, Denmark: 2; Dublin, Ireland: 2; Brussels, Belgium: 2; Nantes, France: 2;
Kraków, Poland: 2; Gothenburg, Sweden: 1; Toulouse, France: 1; Porto, Portugal: 1; Wrocław, Poland: 1;
Cologne, Germany: 1; Rotterdam, Netherlands: 1; Helsinki, Finland: 1; Oslo, Norway: 1; Turin, Italy: 1;
Valencia, Spain: 1"""
)
FUNCTION_WEIGHTS = _weights(
    """engineering: 28; sales: 12; data: 9; product: 8; operations: 8; marketing: 7; design: 5; finance: 5; hr: 5;
consulting: 4; support: 4; research: 3; legal: 2"""
)
# Titles by seniority, per function: a career climbs its ladder.
LADDERS = {
    "engineering": (
        ("Junior software engineer", "Graduate software engineer", "Junior developer"),
        ("Software engineer", "Backend engineer", "Frontend engineer", "Mobile developer", "DevOps engineer"),
        (
            "Senior software engineer",
            "Senior backend engineer",
            "Senior frontend engineer",
            "Site reliability engineer",
        ),
        ("Staff engineer", "Tech lead", "Lead developer", "Platform architect"),
        ("Engineering manager", "Principal engineer"),
        ("Director of engineering", "Head of engineering"),
        ("VP engineering", "CTO"),
    ),
    "product": (
        ("Product analyst", "Associate product manager"),
        ("Product manager", "Product owner"),
        ("Senior product manager",),
        ("Lead product manager", "Group product manager"),
        ("Head of product", "Director of product"),
        ("VP product", "Chief product officer"),
    ),
    "data": (
        ("Data analyst", "Junior data scientist"),
        ("Data scientist", "Data engineer", "Analytics engineer"),
        ("Senior data scientist", "Senior data engineer", "Machine learning engineer"),
        ("Lead data scientist", "Staff data engineer"),
        ("Head of data", "Data science manager"),
        ("Chief data officer", "VP data"),
    ),
    "design": (
        ("Junior UX designer", "Visual designer"),
        ("UX designer", "Product designer", "UI designer"),
        ("Senior product designer", "UX researcher"),
        ("Lead designer", "Design manager"),
        ("Head of design",),
    ),
    "sales": (
        ("Sales development representative", "Business developer"),
        ("Account executive", "Account manager", "Sales engineer"),
        ("Senior account executive", "Key account manager", "Enterprise account executive"),
        ("Sales manager", "Regional sales manager"),
        ("Head of sales", "Sales director"),
        ("VP sales", "Chief revenue officer"),
    ),
    "marketing": (
        ("Marketing assistant", "Content writer"),
        ("Marketing manager", "Growth marketer", "Product marketing manager", "Community manager"),
        ("Senior product marketing manager", "Brand manager"),
        ("Head of marketing", "Marketing director"),
        ("Chief marketing officer",),
    ),
    "finance": (
        ("Accountant", "Financial analyst"),
        ("Controller", "Senior financial analyst"),
        ("Finance manager", "FP&A lead"),
        ("Head of finance", "Finance director"),
        ("CFO",),
    ),
    "hr": (
        ("HR assistant", "Recruiter"),
        ("Talent acquisition partner", "HR business partner", "Technical recruiter"),
        ("Senior recruiter", "People operations manager"),
        ("Head of people", "Head of talent"),
        ("Chief people officer",),
    ),
    "operations": (
        ("Operations analyst", "Office manager"),
        ("Operations manager", "Supply chain analyst", "Project manager"),
        ("Senior project manager", "Programme manager"),
        ("Head of operations",),
        ("COO",),
    ),
    "legal": (
        ("Paralegal",),
        ("Legal counsel", "Compliance officer"),
        ("Senior legal counsel", "Data protection officer"),
        ("Head of legal",),
        ("General counsel",),
    ),
    "research": (
        ("Research assistant",),
        ("Research scientist", "Research engineer"),
        ("Senior research scientist",),
        ("Principal scientist",),
        ("Head of research",),
    ),
    "consulting": (
        ("Junior consultant", "Analyst"),
        ("Consultant",),
        ("Senior consultant",),
        ("Manager",),
        ("Senior manager", "Principal"),
        ("Partner",),
    ),
    "support": (
        ("Support agent", "Customer support specialist"),
        ("Customer success manager", "Technical support engineer"),
        ("Senior customer success manager",),
        ("Head of customer success", "Support manager"),
        ("VP customer experience",),
    ),
}
LEADERSHIP_TITLES = ("General manager", "Managing director", "Chief executive officer", "Co-founder & CEO")
# Departments (one per function) and their teams, for the org trees of the biggest companies.
DEPARTMENTS = {
    "engineering": (
        "Engineering",
        {
            "Platform": ("Storage", "Observability", "Identity"),
            "Payments": ("Risk Engine", "Checkout"),
            "Mobile": ("iOS", "Android"),
            "Infrastructure": ("Networking", "Cloud Cost"),
            "Security": (),
            "Developer Experience": (),
            "Core Services": (),
        },
    ),
    "data": ("Data", {"Data Platform": (), "Analytics": (), "Machine Learning": ("Forecasting", "Ranking")}),
    "product": ("Product", {"Product Discovery": (), "Growth": (), "Core Product": ()}),
    "sales": (
        "Sales",
        {"Enterprise Sales": ("DACH Sales", "Iberia Sales", "Nordics Sales"), "Mid-Market": (), "Partnerships": ()},
    ),
    "marketing": ("Marketing", {"Brand": (), "Content": (), "Demand Generation": (), "Product Marketing": ()}),
    "operations": ("Operations", {"Supply Chain": (), "Facilities": (), "Programme Office": ()}),
    "support": ("Customer Success", {"Tier 1 Support": (), "Customer Onboarding": ()}),
    "hr": ("People", {"Talent Acquisition": (), "People Operations": ()}),
    "finance": ("Finance", {"Controlling": (), "Procurement": ()}),
    "design": ("Design", {"Design System": (), "User Research": ()}),
    "research": ("Research", {"Applied Research": (), "Labs": ()}),
    "legal": ("Legal", {"Compliance": ()}),
    "consulting": ("Professional Services", {"Implementation": ()}),
    "leadership": ("Executive Office", {}),
}
PRODUCT_ENDINGS = ["", "", "", "Pay", "Flow", "Cloud", "Hub", "Lens", "Cast", "Desk", "Grid", "Link"]
KINDS = ["platform", "marketplace", "API", "app", "service", "toolkit", "network", "suite", "engine", "dashboard"]
AUDIENCES = [
    "small businesses",
    "hospitals",
    "grid operators",
    "retailers",
    "logistics teams",
    "banks",
    "insurers",
    "city councils",
    "schools",
    "farmers",
    "developers",
    "freight forwarders",
    "clinics",
    "airlines",
    "utilities",
    "recruiters",
    "property managers",
    "manufacturers",
]
TOPICS = """open banking, payment routing, fraud detection, carbon accounting, battery storage, route planning,
predictive maintenance, patient scheduling, clinical trials, supply chain visibility, cloud costs, zero trust,
identity management, data governance, real-time analytics, developer onboarding, accessibility, search ranking,
demand forecasting, warehouse robotics, last-mile delivery, heat pumps, offshore wind, smart metering, e-invoicing,
instant payments, customer onboarding, pricing, observability, incident response, design systems,
privacy engineering, machine translation, document processing, rail ticketing, EV charging, crop monitoring,
remote work, hiring, internal mobility, onboarding, mentoring, open source, platform migration, test automation,
mobile performance, API design, event sourcing, data contracts, sustainability reporting, energy efficiency""".replace(
    "\n", " "
).split(", ")
TOPICS = [t.strip() for t in TOPICS]
ADJECTIVES = """strong steady record modest solid faster leaner broader deeper safer simpler cheaper
cleaner greener smarter quieter early late new first""".split()
VERBS = """expands improves doubles cuts simplifies accelerates replaces extends opens delivers announces
completes pilots rolls out tests measures automates reviews standardises""".split()
EVENTS = [
    "a fintech meetup",
    "the spring job fair",
    "a data engineering conference",
    "a design sprint workshop",
    "an alumni evening",
    "a startup breakfast",
    "a hackathon",
    "a product management meetup",
    "a women in tech dinner",
    "a climate tech summit",
]
AWARDS = ["a sustainability award", "a design award", "an employer award", "an innovation prize", "a regional prize"]
CHANNEL_WEIGHTS = _weights(
    """linkedin: 35; email: 30; phone: 10; in person: 10; event: 5; xing: 5; viadeo: 1; goldenline: 1; other: 3"""
)
APPROACH_FLOW = ("identified", "to contact", "invited", "connected", "met", "referred")
APPROACH_WEIGHTS = _weights(
    """identified: 30; to contact: 25; invited: 15; connected: 15; met: 10; referred: 2; closed: 3"""
)
NEXT_STEPS = [
    "Send a short note about {topic}",
    "Ask {first} for a 20-minute call",
    "Follow up on the invitation",
    "Thank {first} for the introduction",
    "Share the article on {topic}",
    "Ask about the team's plans for {topic}",
    "Send my CV once the role is posted",
    "Ask {first} who owns {topic} at {company}",
    "Congratulate {first} on the new role",
    "Prepare questions for the coffee chat",
]
INTERACTION_SUMMARIES = [
    "Coffee with {first}: talked about {topic} and the team's hiring",
    "{first} replied: happy to talk next week",
    "Call about {topic} at {company}; {first} suggested I apply directly",
    "Sent a thank-you note after our chat",
    "Met {first} at {event}",
    "{first} introduced me to a colleague in the {topic} team",
    "Asked {first} about the interview process at {company}",
    "Shared my notes on {topic}",
    "{first} sent the job description for a new role",
    "Quick chat: {first} is moving to another team",
    "Lunch with {first}; {company} is reorganising around {topic}",
]
INVITATION_TEXTS = [
    "Hi {first}, I read {company}'s post on {topic} and would love to hear how your team approaches it.",
    "Hello {first}, we met at {event}; I'd be glad to stay in touch and hear about your work on {topic}.",
    "Hi {first}, I'm exploring roles in {topic} and your path at {company} caught my eye. "
    "Would you have 15 minutes for a call?",
    "{first}, a former colleague suggested I reach out: I'm researching {company} and its work on {topic}.",
    "Hi {first}, your talk on {topic} was the clearest I've heard. Could I ask you two questions about it?",
]
JARGON = {
    "OKR": "Objectives and key results: the quarterly goals every team sets and reports on.",
    "QBR": "Quarterly business review with the biggest customers.",
    "North Star metric": "The one number leadership tracks above all others.",
    "Squad": "A small cross-functional team owning one part of the product.",
    "Tribe": "A group of squads working in the same area.",
    "Guild": "A community of practice across teams (e.g. the testing guild).",
    "RFC process": "Design proposals written up and reviewed before anything big is built.",
    "Blameless postmortem": "An incident review that looks for causes in the system, not in people.",
    "Dogfooding": "Using the company's own product internally before customers do.",
    "Hypercare": "The weeks of extra support right after a customer goes live.",
    "Go-live": "The day a customer starts using the product in production.",
    "Run the bank": "Keeping existing systems running, as opposed to building new ones.",
    "Change the bank": "Projects that build new capabilities.",
    "Tiger team": "A temporary team pulled together to fix one urgent problem.",
    "Shift left": "Testing and security checks moved earlier in development.",
    "Bid/no-bid": "The decision whether to answer a tender at all.",
    "Framework agreement": "A multi-year contract under which individual orders are placed.",
    "Capex plan": "The yearly budget for investments in equipment and infrastructure.",
    "Design review": "The weekly session where designers present work for critique.",
    "Bar raiser": "An interviewer from another team who can veto a hire.",
    "Chapter": "People of the same craft across squads, with one chapter lead.",
    "Ramp-up": "The first months in a role, with lighter targets.",
    "Land and expand": "Start with one team at a customer, then grow inside it.",
    "Churn": "Customers who stop paying, as a share of all customers.",
    "ARR": "Annual recurring revenue.",
    "NPS": "Net promoter score, from the customer survey.",
    "SLA": "The service level promised to customers in the contract.",
    "Runway": "How many months the company can operate on the cash it has.",
    "Headcount plan": "The approved number of hires for the year, by team.",
    "Pod": "A team of two or three engineers with one product manager.",
}
GLOBAL_TERMS = {
    "Warm path": "A chain of people I already know that leads to someone at a target company.",
    "Informational interview": "A short conversation to learn how a team works; not a job interview.",
    "Hidden job market": "Roles filled through referrals or direct approaches before any public ad.",
    "Referral": "An employee submits my profile internally, often straight to the hiring manager.",
    "Hiring manager": "The person who owns the open role and makes the decision.",
    "Notice period": "Time between resignation and last day; often three months for senior roles.",
    "ATS": "Applicant tracking system: where applications, referrals and feedback live.",
    "Series B": "The funding round that usually precedes a hiring wave.",
}
FEED_PATHS = [
    ("feed.xml", "Newsroom"),
    ("blog/rss", "Blog"),
    ("press/atom.xml", "Press releases"),
    ("engineering/feed", "Engineering blog"),
    ("careers/feed.xml", "Careers"),
    ("investors/rss", "Investor news"),
]
FEED_ERRORS = [
    (404, "HTTP 404 Not Found"),
    (500, "HTTP 500 Internal Server Error"),
    (None, "timed out after 20 s"),
    (None, "certificate verify failed"),
    (200, "not a feed: the page is HTML"),
]
PROFILE_DONE = {"linkedin": 5, "xing": 3}
DAY = 86_400


def weighted(table: dict[str, float]) -> tuple[list[str], list[float]]:
    """Keys and cumulative weights, for rng.choices(keys, cum_weights=...)."""
    return list(table), list(itertools.accumulate(table.values()))


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- sizes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Every count of the notebook, from the number of people and of news items."""

    people: int = 50_000
    news: int = 1_000_000

    @property
    def companies(self) -> int:
        return max(12, round(3_000 * self.people / 50_000))

    @property
    def feeds(self) -> int:
        return 2 * self.companies

    @property
    def relationships(self) -> int:
        return self.people

    @property
    def my_links(self) -> int:
        return min(150, self.people // 4)

    @property
    def approach(self) -> int:
        return max(10, round(0.04 * self.people))

    @property
    def interactions(self) -> int:
        return max(30, round(0.6 * self.people))

    @property
    def invitations(self) -> int:
        return max(6, round(0.006 * self.people))

    @property
    def notes(self) -> int:
        return max(30, round(0.4 * self.people))

    @property
    def org_companies(self) -> int:
        return max(3, round(self.companies / 30))


@dataclass
class Company:
    id: int
    rank: int  # 0 is the biggest
    name: str
    short: str  # without the legal form, as the news write it
    slug: str
    sector: str | None
    city: str
    status: str
    products: list[str]


@dataclass
class Person:
    id: int
    name: str
    first: str
    slug: str
    key: str  # slugify(name), shared by namesakes
    companies: list[int] = field(default_factory=list)  # tracked companies of the career
    company: int | None = None  # the current tracked company
    title: str | None = None  # the current title


# -- the generator -------------------------------------------------------------------------------------


class Generator:
    """Makes every table's rows, in an order that respects the foreign keys; deterministic from the seed."""

    def __init__(self, seed: int, sizes: Sizes, today: date):
        self.seed, self.sizes, self.today = seed, sizes, today
        self.now = datetime(today.year, today.month, today.day, 8, 0, tzinfo=UTC)
        self.core = random.Random(seed)  # names, careers and links: the model path_scale.py shares
        self.companies: list[Company] = []
        self.people: list[Person] = [Person(0, "", "", "", "")]  # index = id
        self.units: dict[int, dict[str, list[int]]] = {}
        self.current_at: dict[int, list[int]] = {}
        self.approach: dict[int, str] = {}
        self.note_candidates: list[tuple[int, int, str]] = []  # news items worth a note: (id, company, published)

    def rng(self, aspect: str) -> random.Random:
        # One stream per aspect: changing how one table is made leaves the others as they were.
        return random.Random(f"{self.seed}:{aspect}")

    def days_ago(self, rng: random.Random, low: int, high: int) -> datetime:
        return self.now - timedelta(days=rng.randint(low, high), seconds=rng.randrange(DAY))

    @property
    def biggest(self) -> Company:
        return min(self.companies, key=lambda c: c.rank)

    # -- companies and their organisation ----------------------------------------------------------------

    def company_rows(self) -> Iterator[tuple]:
        count = self.sizes.companies
        names = company_names(self.core, count)
        self.ranked = list(range(1, count + 1))
        self.core.shuffle(self.ranked)  # the biggest company is not id 1
        self.weights = zipf_weights(count)
        rng = self.rng("companies")
        statuses = self._statuses(rng)
        sectors, sector_weights = weighted(SECTORS)
        cities, city_weights = weighted(CITIES)
        scale = count / 3_000
        size_limits = [(10, "5000+"), (60, "1001-5000"), (300, "201-1000"), (1000, "51-200"), (2000, "11-50")]
        rank_of = {cid: rank for rank, cid in enumerate(self.ranked)}
        for cid, name in enumerate(names, start=1):
            rank = rank_of[cid]
            short = next((name[: -len(s) - 1] for s in SUFFIXES if name.endswith(" " + s)), name)
            slug = slugify(name)
            products = [
                "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize() + rng.choice(PRODUCT_ENDINGS)
                for _ in range(rng.randint(1, 3))
            ]
            company = Company(
                cid,
                rank,
                name,
                short,
                slug,
                None if rng.random() < 0.03 else rng.choices(sectors, cum_weights=sector_weights)[0],
                rng.choices(cities, cum_weights=city_weights)[0],
                statuses.get(cid, "watching"),
                products,
            )
            self.companies.append(company)
            size = next((label for limit, label in size_limits if rank < limit * scale), "1-10")
            description = (
                f"{short} builds {rng.choice(KINDS)}s for {rng.choice(AUDIENCES)}. Its flagship product,"
                f" {products[0]}, {rng.choice(VERBS)} {rng.choice(TOPICS)} for {rng.choice(AUDIENCES)}."
            )
            if rng.random() < 0.4:
                description += f" Offices in {company.city.split(',')[0]} and {rng.choice(cities).split(',')[0]}."
            created = self.days_ago(rng, 30, 730)
            updated = min(self.now, created + timedelta(days=rng.randint(0, 300)))
            yield (
                cid,
                slug,
                slug,
                name,
                company.sector,
                f"https://{slug}.example",
                company.city,
                None if rng.random() < 0.05 else size,
                None if rng.random() < 0.1 else description,
                company.status,
                stamp(created),
                stamp(updated),
            )
        self.by_id = {c.id: c for c in self.companies}
        self.untracked = company_names(rng, max(50, count // 3))

    COMPANY_COLUMNS = (
        "id slug name_key name sector website location size description status created_at updated_at".split()
    )

    def _statuses(self, rng: random.Random) -> dict[int, str]:
        """The pipeline: the biggest company is a target; the others drawn, bigger ones likelier."""
        count = len(self.ranked)
        wanted = [
            ("target", max(2, round(0.02 * count))),
            ("applied", max(1, round(0.005 * count))),
            ("interviewing", max(1, round(0.002 * count))),
            ("researching", max(2, round(0.05 * count))),
            ("closed", max(1, round(0.005 * count))),
        ]
        chosen = {self.ranked[0]: "target"}
        cum = list(itertools.accumulate(w**0.5 for w in zipf_weights(count)))
        for status, number in wanted:
            placed = int(status == "target")
            while placed < number:
                cid = rng.choices(self.ranked, cum_weights=cum)[0]
                if cid not in chosen:
                    chosen[cid] = status
                    placed += 1
        return chosen

    def unit_rows(self) -> Iterator[tuple]:
        """A tree of 5-30 units (departments, their teams, some sub-teams) in each of the biggest companies."""
        rng = self.rng("units")
        biggest = sorted(self.companies, key=lambda c: c.rank)[: self.sizes.org_companies]
        unit_id = 0
        for i, company in enumerate(biggest):
            wanted = round(30 - 25 * i / max(1, len(biggest) - 1))
            functions = ["engineering"] + rng.sample(list(DEPARTMENTS)[1:], len(DEPARTMENTS) - 1)
            chosen = functions[: max(2, wanted // 3)]
            placed: dict[str, list[int]] = {}
            ids: dict[str, int] = {}
            layers: list[list[tuple[str, str | None, str]]] = [[(DEPARTMENTS[f][0], None, f) for f in chosen]]
            layers.append(
                [(team, DEPARTMENTS[f][0], f) for f in chosen for team in DEPARTMENTS[f][1]],
            )
            layers.append(
                [(sub, team, f) for f in chosen for team, subs in DEPARTMENTS[f][1].items() for sub in subs],
            )
            count = 0
            for depth, layer in enumerate(layers):
                if depth:
                    rng.shuffle(layer)
                for name, parent, function in layer:
                    if count >= wanted or (parent is not None and parent not in ids):
                        continue
                    unit_id += 1
                    count += 1
                    ids[name] = unit_id
                    placed.setdefault(function, []).append(unit_id)
                    yield (unit_id, company.id, name, ids.get(parent) if parent else None)
            self.units[company.id] = placed

    UNIT_COLUMNS = ("id", "company_id", "name", "parent_id")

    # -- people and their careers -----------------------------------------------------------------------

    PERSON_COLUMNS = "id slug name_key name headline location email phone linkedin_url viadeo_url xing_url goldenline_url other_url is_me created_at updated_at".split()
    POSITION_COLUMNS = "id person_id company_id company_name title function org_unit_id start end".split()

    def people_rows(self) -> tuple[list[tuple], list[tuple]]:
        """People and their positions; also who works where now (for links, contacts and the news)."""
        rng = self.rng("people")
        functions, function_weights = weighted(FUNCTION_WEIGHTS)
        cities, city_weights = weighted(CITIES)
        last_month = self.today.year * 12 + self.today.month - 1
        self.at_company: dict[int, list[int]] = {}
        slugs: set[str] = set()
        people, positions = [], []
        for pid in range(1, self.sizes.people + 1):
            name = person_name(self.core)
            slug = base = slugify(name)
            n = 2
            while slug in slugs:
                slug, n = f"{base}-{n}", n + 1
            slugs.add(slug)
            person = Person(pid, name, name.split()[0], slug, base)
            self.people.append(person)
            stints = career(self.core, self.ranked, self.weights, FIRST_MONTH, last_month)
            function = rng.choices(functions, cum_weights=function_weights)[0]
            began = next((s.start for s in stints if s.start is not None), last_month)
            # How far this career goes, 1 (stays junior) to 6 (the top of the ladder): few go far.
            reach = rng.choices(range(1, 7), weights=(14, 32, 30, 16, 6, 2))[0]
            level = 0
            for i, stint in enumerate(stints):
                if i and rng.random() < 0.08:  # a change of field
                    function = rng.choices(functions, cum_weights=function_weights)[0]
                position_function, title, level = self._title(rng, function, stint, began, level, reach)
                cid = stint.company_id
                if cid is None:
                    company_name = self.untracked[stint.chosen % len(self.untracked)]
                else:
                    company_name = self.by_id[cid].name
                    self.at_company.setdefault(cid, []).append(pid)
                    person.companies.append(cid)
                current = stint.end is None
                unit = None
                if cid in self.units and rng.random() < (0.85 if current else 0.3):
                    choices = self.units[cid].get(position_function)
                    unit = rng.choice(choices) if choices else None
                positions.append(
                    (
                        len(positions) + 1,
                        pid,
                        cid,
                        company_name,
                        title,
                        position_function,
                        unit,
                        None if stint.start is None else month_text(stint.start),
                        None if stint.end is None else month_text(stint.end),
                    )
                )
                if current:
                    person.company, person.title = cid, title
            if person.company is not None:
                self.current_at.setdefault(person.company, []).append(pid)
            people.append(self._person_row(rng, person, cities, city_weights))
        return people, positions

    def _title(
        self, rng: random.Random, function: str, stint: Stint, began: int, level: int, reach: int
    ) -> tuple[str, str, int]:
        """(function, title, level) of a position: seniority grows with the years since the career
        began, up to how far this career reaches (on the function's ladder, however long it is)."""
        ladder = LADDERS[function]
        if stint.start is not None:
            earned = (stint.start - began) // 36 + rng.choice((-1, 0, 0, 1))
            level = max(level if rng.random() < 0.9 else 0, earned)
        level = max(0, min(level, round(reach * (len(ladder) - 1) / 6)))
        if level == len(ladder) - 1 and rng.random() < 0.15:
            return "leadership", rng.choice(LEADERSHIP_TITLES), level
        return function, rng.choice(ladder[level]), level

    def _person_row(self, rng: random.Random, person: Person, cities: list[str], city_weights: list[float]) -> tuple:
        me = person.id == 1
        company = self.by_id.get(person.company) if person.company else None
        if me:
            headline = f"{person.title or 'Product manager'} — open to new roles in {rng.choice(TOPICS)}"
        elif company and rng.random() < 0.6:
            headline = f"{person.title} at {company.short}"
        elif person.title and rng.random() < 0.6:
            headline = f"{person.title} · {rng.choice(TOPICS)} and {rng.choice(TOPICS)}"
        else:
            headline = rng.choice([None, f"Looking for my next role in {rng.choice(TOPICS)}"])
        if company and rng.random() < 0.7:
            location = company.city
        else:
            location = None if rng.random() < 0.05 else rng.choices(cities, cum_weights=city_weights)[0]
        email = f"{person.slug.replace('-', '.')}@mail.example" if me or rng.random() < 0.35 else None
        phone = None
        if me or rng.random() < 0.08:
            phone = rng.choice(("+33 6 39 98 {:02d} {:02d}", "+44 7700 9{:02d}{:03d}")).format(
                rng.randrange(100), rng.randrange(100)
            )
        urls = self._profiles(rng, person.slug, me)
        created = self.days_ago(rng, 1, 720)
        updated = min(self.now, created + timedelta(days=rng.randint(0, 200)))
        return (
            person.id,
            person.slug,
            person.key,
            person.name,
            headline,
            location,
            email,
            phone,
            *urls,
            int(me),
            stamp(created),
            stamp(updated),
        )

    @staticmethod
    def _profiles(rng: random.Random, slug: str, me: bool) -> tuple[str | None, ...]:
        """linkedin, viadeo, xing, goldenline, other: about 10% on none, most on LinkedIn, some on several."""
        if me:
            return (
                f"https://www.linkedin.example/in/{slug}",
                None,
                f"https://www.xing.example/profile/{slug}",
                None,
                None,
            )
        if rng.random() < 0.1:
            return (None,) * 5
        urls = [
            f"https://www.linkedin.example/in/{slug}" if rng.random() < 0.85 else None,
            f"https://www.viadeo.example/p/{slug}" if rng.random() < 0.06 else None,
            f"https://www.xing.example/profile/{slug}" if rng.random() < 0.12 else None,
            f"https://www.goldenline.example/{slug}" if rng.random() < 0.04 else None,
            f"https://{slug}.example" if rng.random() < 0.03 else None,
        ]
        if not any(urls):
            urls[0] = f"https://www.linkedin.example/in/{slug}"
        return tuple(urls)

    # -- relationships and my contacts ------------------------------------------------------------------

    LINK_COLUMNS = ("id", "person_id", "other_id", "kind", "strength", "how", "created_at")

    def link_rows(self) -> list[tuple]:
        rng = self.rng("links")
        me = self.people[1]
        links = declared_links(
            self.core, self.sizes.people, self.at_company, me.companies, self.sizes.relationships, self.sizes.my_links
        )
        mine = [b if a == 1 else a for a, b, _, _ in links if 1 in (a, b)]
        self.my_contacts = list(dict.fromkeys(mine))
        return [
            (i, a, b, kind, strength, self._how(rng, a, b, kind), stamp(self.days_ago(rng, 0, 700)))
            for i, (a, b, kind, strength) in enumerate(links, start=1)
        ]

    def _how(self, rng: random.Random, a: int, b: int, kind: str) -> str | None:
        if kind == "worked_with":
            theirs = set(self.people[b].companies)
            common = [c for c in self.people[a].companies if c in theirs]
            return f"Worked together at {self.by_id[common[0]].short}" if common else "Worked together on a project"
        if kind == "introduced_by":
            return f"Introduced at {rng.choice(EVENTS)}" if rng.random() < 0.5 else None
        if rng.random() < 0.4:
            return rng.choice(
                [f"Met at {rng.choice(EVENTS)}", "University friends", "Same running club", "Former neighbours"]
            )
        return None

    APPROACH_COLUMNS = ("person_id", "status", "priority", "next_action_at", "next_step", "updated_at")
    CHANGE_COLUMNS = ("id", "person_id", "from_status", "to_status", "at")
    INTERACTION_COLUMNS = ("id", "person_id", "at", "channel", "direction", "summary", "created_at")
    INVITATION_COLUMNS = "id person_id network text status created_at updated_at sent_at".split()

    def contact_rows(self) -> dict[str, list[tuple]]:
        """Approach states (and their history), interactions and invitations: the Network screen's material."""
        rng = self.rng("contacts")
        approach, changes = self._approach(rng)
        invitations, sent = self._invitations(rng)
        # Stored in the order they happened, as they would be logged.
        interactions = sorted(self._interactions(rng) + sent)
        return {
            "approach": approach,
            "status_changes": changes,
            "interactions": [(i, pid, at, *rest) for i, (at, pid, *rest) in enumerate(interactions, start=1)],
            "invitations": invitations,
        }

    def _context(self, rng: random.Random, pid: int) -> dict[str, str]:
        person = self.people[pid]
        company = self.by_id[person.company] if person.company else rng.choice(self.companies)
        return {
            "first": person.first,
            "company": company.short,
            "topic": rng.choice(TOPICS),
            "event": rng.choice(EVENTS),
        }

    def _approach(self, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
        wanted = self.sizes.approach
        pipeline = [
            pid
            for c in self.companies
            if c.status in ("target", "applied", "interviewing")
            for pid in self.current_at.get(c.id, [])
            if pid != 1
        ]
        chosen = dict.fromkeys(rng.sample(self.my_contacts, min(len(self.my_contacts), wanted // 2, 100)))
        for pid in rng.sample(pipeline, min(len(pipeline), int(0.6 * wanted))):
            chosen.setdefault(pid)
        while len(chosen) < wanted:
            chosen.setdefault(rng.randint(2, self.sizes.people))
        mine = set(self.my_contacts)
        statuses, status_weights = weighted(APPROACH_WEIGHTS)
        close = {"to contact": 15, "identified": 10, "connected": 35, "met": 30, "referred": 5, "closed": 5}
        close_statuses, close_weights = weighted(close)
        rows, changes = [], []
        for pid in chosen:
            if pid in mine:
                status = rng.choices(close_statuses, cum_weights=close_weights)[0]
            else:
                status = rng.choices(statuses, cum_weights=status_weights)[0]
            self.approach[pid] = status
            next_at = next_step = None
            if status != "closed" and rng.random() < 0.75:
                next_at = (self.today + timedelta(days=rng.randint(-30, 90))).isoformat()
                next_step = rng.choice(NEXT_STEPS).format(**self._context(rng, pid))
            updated = self.days_ago(rng, 0, 365)
            rows.append((pid, status, rng.choices((1, 2, 3), weights=(2, 5, 3))[0], next_at, next_step, stamp(updated)))
            if status == "closed":
                path = [*APPROACH_FLOW[: rng.randint(1, 5)], "closed"]
            else:
                path = list(APPROACH_FLOW[: APPROACH_FLOW.index(status) + 1])
            moment = updated - timedelta(days=rng.randint(20, 300))
            previous = None
            for j, to_status in enumerate(path):
                at = updated if j == len(path) - 1 else moment + (updated - moment) * j / len(path)
                changes.append((len(changes) + 1, pid, previous, to_status, stamp(at)))
                previous = to_status
        return rows, changes

    def _interactions(self, rng: random.Random) -> list[tuple]:
        """(at, person, ...) rows: several each with the people I talk to, the last one recent or long ago."""
        talked = [pid for pid, s in self.approach.items() if s not in ("identified", "to contact")]
        talked = list(dict.fromkeys(talked + self.my_contacts))
        while len(talked) < self.sizes.interactions // 15:
            pid = rng.randint(2, self.sizes.people)
            if pid not in self.approach:
                talked.append(pid)
        talked = list(dict.fromkeys(talked))
        weights = [3 if pid in self.approach else 1 for pid in talked]
        counts = dict.fromkeys(talked, 1)
        for pid in rng.choices(talked, weights=weights, k=max(0, self.sizes.interactions - len(talked))):
            counts[pid] += 1
        channels, channel_weights = weighted(CHANNEL_WEIGHTS)
        oldest = self.now - timedelta(days=3 * 365)
        rows = []
        for pid, count in counts.items():
            last = max(oldest, self.now - timedelta(days=rng.expovariate(1 / 120), seconds=rng.randrange(DAY)))
            for k in range(count):
                span = min(730 * DAY, int((last - oldest).total_seconds()))
                at = last if k == 0 else last - timedelta(seconds=rng.randrange(span + 1))
                summary = rng.choice(INTERACTION_SUMMARIES).format(**self._context(rng, pid))
                channel = rng.choices(channels, cum_weights=channel_weights)[0]
                direction = "in" if rng.random() < 0.4 else "out"
                rows.append((stamp(at), pid, channel, direction, summary, stamp(at)))
        return rows

    def _invitations(self, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
        """Drafts to people I am about to contact, sent ones to those further along (each with its interaction)."""
        wanted = self.sizes.invitations
        early = [pid for pid, s in self.approach.items() if s in ("identified", "to contact")]
        later = [pid for pid, s in self.approach.items() if s in ("invited", "connected", "met", "referred")]
        drafts = rng.sample(early, min(len(early), round(0.4 * wanted)))
        sent = rng.sample(later, min(len(later), wanted - len(drafts)))
        rows, interactions = [], []
        for pid in drafts + sent:
            text = rng.choice(INVITATION_TEXTS).format(**self._context(rng, pid))
            network = rng.choices(("linkedin", "xing", "email", None), weights=(6, 1, 1, 2))[0]
            created = self.days_ago(rng, 1, 300)
            if pid in drafts:
                updated = min(self.now, created + timedelta(days=rng.randint(0, 20)))
                rows.append((len(rows) + 1, pid, network, text, "draft", stamp(created), stamp(updated), None))
                continue
            sent_at = stamp(min(self.now, created + timedelta(days=rng.randint(0, 10))))
            network = network or "linkedin"
            rows.append((len(rows) + 1, pid, network, text, "sent", stamp(created), sent_at, sent_at))
            words = text.split()
            summary = "Invitation sent: " + " ".join(words[:8]) + ("…" if len(words) > 8 else "")
            interactions.append((sent_at, pid, network, "out", summary, sent_at))
        return rows, interactions

    # -- vocabulary -------------------------------------------------------------------------------------

    TERM_COLUMNS = ("id", "company_id", "term", "definition", "seen_in", "created_at")

    def term_rows(self) -> list[tuple]:
        """About 10 terms for each company in my pipeline, a few for those I research, some of my own."""
        rng = self.rng("terms")
        rows = []
        for term, definition in GLOBAL_TERMS.items():
            rows.append(
                (len(rows) + 1, None, term, definition, "job-seekers circle", stamp(self.days_ago(rng, 0, 600)))
            )
        counts = {"target": (8, 12), "applied": (8, 12), "interviewing": (8, 12), "researching": (0, 3)}
        for company in self.companies:
            if company.status not in counts:
                continue
            terms: dict[str, str] = {}
            for product in company.products:
                terms[product] = f"{company.short}'s {rng.choice(KINDS)} for {rng.choice(AUDIENCES)}."
            for jargon in rng.sample(list(JARGON), 8):
                terms[jargon] = JARGON[jargon]
            for _ in range(3):
                acronym = "".join(rng.choice("ABCDEFGHIKLMNPRSTV") for _ in range(3))
                terms[acronym] = f"Internal name of the {rng.choice(TOPICS)} programme."
            people = self.current_at.get(company.id) or [1]
            sources = (
                "careers page",
                "engineering blog",
                "annual report",
                f"{company.short} newsroom",
                f"call with {self.people[rng.choice(people)].name}",
            )
            for term in rng.sample(list(terms), min(len(terms), rng.randint(*counts[company.status]))):
                created = stamp(self.days_ago(rng, 0, 600))
                rows.append((len(rows) + 1, company.id, term, terms[term], rng.choice(sources), created))
        return rows

    # -- feeds and news -----------------------------------------------------------------------------------

    FEED_COLUMNS = "id company_id url title etag last_modified content_hash last_fetch_at last_status last_error error_count next_attempt_at active created_at".split()

    def feed_rows(self) -> list[tuple]:
        """Two feeds per company on average (bigger companies have more), a few failing or gone."""
        rng = self.rng("feeds")
        per_company = dict.fromkeys((c.id for c in self.companies), 1)
        ids = [c.id for c in self.companies]
        cum = list(itertools.accumulate(self.weights[c.rank] ** 0.5 for c in self.companies))
        extra = self.sizes.feeds - len(ids)
        while extra > 0:
            cid = rng.choices(ids, cum_weights=cum)[0]
            if per_company[cid] < len(FEED_PATHS):
                per_company[cid] += 1
                extra -= 1
        rows = []
        self.feeds: list[tuple[int, Company, str]] = []  # (id, company, url prefix of its items)
        self.feed_weights: list[float] = []
        for company in self.companies:
            paths = [FEED_PATHS[0], *rng.sample(FEED_PATHS[1:], per_company[company.id] - 1)]
            for path, label in paths:
                feed_id = len(rows) + 1
                url = f"https://{company.slug}.example/{path}"
                fetched = self.now - timedelta(seconds=rng.randrange(6 * 3600))
                values = self._feed_state(rng, fetched)
                rows.append(
                    (
                        feed_id,
                        company.id,
                        url,
                        f"{company.short} — {label}",
                        *values,
                        stamp(self.days_ago(rng, 60, 760)),
                    )
                )
                section = path.split("/")[0] if "/" in path else "news"
                self.feeds.append((feed_id, company, f"https://{company.slug}.example/{section}"))
                active = values[-1]
                self.feed_weights.append(
                    self.weights[company.rank] ** 0.6 * rng.lognormvariate(0, 0.8) * (1 if active else 0.2)
                )
        return rows

    def _feed_state(self, rng: random.Random, fetched: datetime) -> tuple:
        """etag, last_modified, content_hash, last_fetch_at, last_status, last_error, error_count,
        next_attempt_at, active."""
        r = rng.random()
        if r < 0.03:
            status, error = rng.choice(FEED_ERRORS)
            errors = rng.randint(1, 12)
            retry = stamp(fetched + timedelta(hours=2 ** min(errors, 6)))
            return (None, None, None, stamp(fetched), status, error, errors, retry, 1)
        if r < 0.04:
            return (None, None, None, stamp(fetched), 410, "HTTP 410 Gone: the feed was removed", 1, None, 0)
        modified = fetched - timedelta(seconds=rng.randrange(3 * DAY))
        etag = f'"{rng.getrandbits(64):016x}"' if rng.random() < 0.7 else None
        return (
            etag,
            modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
            f"{rng.getrandbits(160):040x}",
            stamp(fetched),
            rng.choice((200, 304, 304)),
            None,
            0,
            None,
            1,
        )

    NEWS_COLUMNS = "id feed_id company_id entry_id link title summary published fetched_at content_hash read starred deleted".split()

    def news_rows(self) -> Iterator[tuple]:
        """The items of the last two years, oldest first (as syncs would have stored them), streamed."""
        rng = self.rng("news")
        self.sentences = [self._sentence(rng) for _ in range(4096)]
        days = 730
        first_day = self.today - timedelta(days=days - 1)
        dates = [(first_day + timedelta(days=d)).isoformat() for d in range(days)]
        # Weekdays busier than weekends; the notebook follows more feeds as time goes by.
        weights = [
            (0.35 if (first_day + timedelta(days=d)).weekday() >= 5 else 1.0) * (0.7 + 0.3 * d / days)
            for d in range(days)
        ]
        per_day = _apportion(self.sizes.news, weights)
        cum = list(itertools.accumulate(self.feed_weights))
        feeds = range(len(self.feeds))
        serial = [0] * len(self.feeds)
        now_seconds = self.now.hour * 3600
        keep_for_notes = min(1.0, 2 * 0.3 * self.sizes.notes / max(1, self.sizes.news))
        item_id = 0
        for d, count in enumerate(per_day):
            age = days - 1 - d
            unread_odds = 0.8 if age < 30 else 0.15 if age < 180 else 0.05
            span = now_seconds if age == 0 else DAY
            picks = rng.choices(feeds, cum_weights=cum, k=count)
            for f, second in zip(picks, sorted(rng.randrange(span) for _ in range(count))):
                item_id += 1
                feed_id, company, prefix = self.feeds[f]
                serial[f] += 1
                link = f"{prefix}/{dates[d][:4]}/{serial[f]}"
                entry_id = link if feed_id % 10 >= 3 else f"tag:{company.slug}.example,{feed_id}:{serial[f]}"
                title, summary = self._item_text(rng, company)
                published = f"{dates[d]}T{_clock(second)}Z"
                fetched = second + rng.randint(60, 6 * 3600)
                if fetched >= DAY and age == 0:
                    fetched_at = stamp(self.now)
                elif fetched >= DAY:
                    fetched_at = f"{dates[d + 1]}T{_clock(fetched - DAY)}Z"
                else:
                    fetched_at = f"{dates[d]}T{_clock(min(fetched, span))}Z"
                if rng.random() < 0.01:  # a feed that gives no dates
                    published = None
                digest = hashlib.sha1(f"{title}\0{summary}\0{link}\0{published}".encode()).hexdigest()
                unread = rng.random() < unread_odds
                starred = not unread and rng.random() < 0.002
                deleted = not unread and not starred and rng.random() < 0.01
                if starred or (not deleted and rng.random() < keep_for_notes):
                    self.note_candidates.append((item_id, company.id, published or fetched_at))
                yield (
                    item_id,
                    feed_id,
                    company.id,
                    entry_id,
                    link,
                    title,
                    summary,
                    published,
                    fetched_at,
                    digest,
                    int(not unread),
                    int(starred),
                    int(deleted),
                )

    def _sentence(self, rng: random.Random) -> str:
        city = rng.choice(list(CITIES)).split(",")[0]
        return rng.choice(
            (
                "The {adj} rollout {verb} {topic} for {audience}.",
                "Early results show {adj} gains in {topic}, with {n}% fewer manual steps.",
                "The team {verb} {topic} and plans to hire in {city}.",
                "A pilot with {n} {audience} ran for {m} months before the launch.",
                "{Topic} remains a priority for the next {m} months.",
                "The work builds on last year's investment in {topic}.",
                "Analysts see {adj} demand for {topic} among {audience}.",
                "The update also {verb} {topic} and {topic2}.",
                "More details will follow at {event}.",
                "Hiring for the {topic} team continues in {city}.",
                "Feedback from {audience} shaped the new {kind}.",
                "The {kind} now handles {topic} without manual review.",
            )
        ).format(
            adj=rng.choice(ADJECTIVES),
            verb=rng.choice(VERBS),
            topic=(topic := rng.choice(TOPICS)),
            Topic=topic.capitalize(),
            topic2=rng.choice(TOPICS),
            audience=rng.choice(AUDIENCES),
            n=rng.randint(2, 90),
            m=rng.randint(2, 18),
            city=city,
            event=rng.choice(EVENTS),
            kind=rng.choice(KINDS),
        )

    def _item_text(self, rng: random.Random, company: Company) -> tuple[str, str]:
        """A title and a summary of two to five sentences (a few long ones), some naming people of the notebook."""
        staff = self.current_at.get(company.id)
        c, product, topic = company.short, rng.choice(company.products), rng.choice(TOPICS)
        if staff and rng.random() < 0.12:
            person = self.people[rng.choice(staff)]
            title = rng.choice(
                (
                    f"{c} names {person.name} {person.title}",
                    f"Meet the team: {person.name}, {person.title}",
                    f"{person.name} on {topic} at {c}",
                    f"{c} welcomes {person.name} as {person.title}",
                )
            )
            lead = f"{person.name}, {person.title} at {c}, says the team {rng.choice(VERBS)} {topic} this quarter."
        else:
            other = rng.choice(self.companies).short
            title = rng.choice(
                (
                    f"{c} raises €{rng.randint(2, 400)} million to grow {product}",
                    f"{c} opens an office in {rng.choice(list(CITIES)).split(',')[0]}",
                    f"{c} and {other} partner on {topic}",
                    f"{c} launches {product} {rng.randint(1, 9)}.{rng.randint(0, 20)}",
                    f"{product} now supports {topic}",
                    f"{c} is hiring {rng.randint(5, 120)} people for {topic}",
                    f"Q{rng.randint(1, 4)}: {c} reports {rng.choice(ADJECTIVES)} growth",
                    f"How we rebuilt {topic} at {c}",
                    f"{c} acquires {other}",
                    f"{topic.capitalize()}: notes from {rng.choice(EVENTS)}",
                    f"Why {c} bets on {topic}",
                    f"{c} wins {rng.choice(AWARDS)}",
                    f"Release notes: {product} {rng.randint(1, 9)}.{rng.randint(0, 20)}",
                )
            )
            lead = rng.choice(
                (
                    f"{c}, based in {company.city.split(',')[0]}, {rng.choice(VERBS)} {topic} for {rng.choice(AUDIENCES)}.",
                    f"The news follows a {rng.choice(ADJECTIVES)} year for {c} and its {product} {rng.choice(KINDS)}.",
                    f"According to {c}, {product} now serves {rng.randint(20, 9000)} {rng.choice(AUDIENCES)}.",
                )
            )
        more = rng.randint(8, 14) if rng.random() < 0.05 else rng.randint(1, 4)
        summary = " ".join([lead, *(rng.choice(self.sentences) for _ in range(more))])
        return title, summary

    # -- notes ---------------------------------------------------------------------------------------------

    NOTE_COLUMNS = ("id", "company_id", "person_id", "news_item_id", "body", "created_at", "updated_at")

    def note_rows(self) -> list[tuple]:
        """Markdown notes on the companies I look at, the people I approach and news items I kept."""
        rng = self.rng("notes")
        total = self.sizes.notes
        on_news = min(len(self.note_candidates), round(0.3 * total))
        on_people = round(0.4 * total)
        on_companies = total - on_news - on_people
        interest = {"target": 40, "applied": 40, "interviewing": 40, "researching": 10, "closed": 5}
        companies = rng.choices(
            self.companies, weights=[interest.get(c.status, 0.3) for c in self.companies], k=on_companies
        )
        mine = set(self.my_contacts)
        people = rng.choices(
            range(1, self.sizes.people + 1),
            weights=[20 if p in self.approach else 10 if p in mine else 0.1 for p in range(1, self.sizes.people + 1)],
            k=on_people,
        )
        rows = []
        for company in companies:
            rows.append((self.days_ago(rng, 0, 700), company.id, None, None, self._company_note(rng, company)))
        for pid in people:
            rows.append((self.days_ago(rng, 0, 700), None, pid, None, self._person_note(rng, pid)))
        for item_id, company_id, published in rng.sample(self.note_candidates, on_news):
            moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
            moment = min(self.now, moment + timedelta(seconds=rng.randrange(10 * DAY)))
            rows.append((moment, None, None, item_id, self._news_note(rng, self.by_id[company_id])))
        rows.sort(key=lambda r: (r[0], r[1] or 0, r[2] or 0, r[3] or 0))
        out = []
        for i, (moment, company_id, person_id, item_id, body) in enumerate(rows, start=1):
            edited = min(self.now, moment + timedelta(days=rng.choice((0, 0, 0, 1, 7, 30))))
            out.append((i, company_id, person_id, item_id, body, stamp(moment), stamp(edited)))
        return out

    def _company_note(self, rng: random.Random, company: Company) -> str:
        c, s1, s2, topic = company.short, rng.choice(self.sentences), rng.choice(self.sentences), rng.choice(TOPICS)
        staff = self.current_at.get(company.id)
        contact = self.people[rng.choice(staff)].name if staff else "the recruiter"
        return rng.choice(
            (
                f"## Why {c}\n\n- {s1}\n- {s2}\n- Team in {company.city.split(',')[0]}: about {rng.randint(5, 400)}"
                f" people\n\n**Open question:** who owns {topic}?",
                f"**Call with {contact}**: {s1}\n\nNext: {rng.choice(NEXT_STEPS).format(first=contact.split()[0], topic=topic, company=c)}",
                f"Read [their post on {topic}](https://{company.slug}.example/blog/{rng.randint(1, 900)}). {s1}",
                f"### Interview prep\n\n1. {s1}\n2. {s2}\n3. Ask about *{topic}*",
            )
        )

    def _person_note(self, rng: random.Random, pid: int) -> str:
        person, s1, topic = self.people[pid], rng.choice(self.sentences), rng.choice(TOPICS)
        other = rng.choice(self.companies)
        return rng.choice(
            (
                f"Met {person.first} at {rng.choice(EVENTS)}. {s1}\n\n- Works on {topic}\n- Knows people at {other.short}",
                f"**{person.first}** prefers email to messages on networks. {s1}",
                f"Talked about {topic}; {person.first} suggested reading"
                f" [this post](https://{other.slug}.example/blog/{rng.randint(1, 900)}).",
                f"- Strong on {topic}\n- Ask about *{rng.choice(TOPICS)}* next time\n\n{s1}",
            )
        )

    def _news_note(self, rng: random.Random, company: Company) -> str:
        s1, topic = rng.choice(self.sentences), rng.choice(TOPICS)
        staff = self.current_at.get(company.id)
        first = self.people[rng.choice(staff)].first if staff else "the hiring manager"
        return rng.choice(
            (
                f"**Relevant to my pitch:** {s1}",
                f"Mention this to {first} next time. {s1}",
                f"- {topic} again at {company.short}\n- {s1}",
                f"> {s1}\n\nWorth a question in the interview.",
            )
        )

    # -- my profile and settings ---------------------------------------------------------------------------

    def checklist_rows(self) -> list[tuple]:
        rows = []
        for network, done in PROFILE_DONE.items():
            for i, item in enumerate(PROFILE_ITEMS[network]):
                rows.append((len(rows) + 1, network, item, int(i < done)))
        return rows


def _apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up (largest remainders)."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _clock(second: int) -> str:
    return f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


# -- building --------------------------------------------------------------------------------------------


@dataclass
class Report:
    path: Path
    counts: dict[str, int]
    seconds: float
    size: int
    biggest: str  # the biggest company's slug
    biggest_people: int  # how many work there now


def build(
    path: Path,
    seed: int = 1,
    people: int = 50_000,
    news: int = 1_000_000,
    today: date | None = None,
    force: bool = False,
    log=print,
) -> Report:
    """Write the notebook at `path` (built beside it, moved into place when complete)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists (pass --force to replace it)")
    partial = path.with_name(path.name + ".partial")
    _remove(partial)
    gen = Generator(seed, Sizes(people, news), today or clock.today())
    started = time.perf_counter()
    try:
        with Notebook(partial) as nb:
            loader = BulkLoader(nb)

            def load(table: str, columns: tuple[str, ...], rows) -> None:
                t0 = time.perf_counter()
                count = loader.insert(table, columns, rows)
                log(f"  {table:18} {count:>10,} rows {time.perf_counter() - t0:7.1f} s")

            load("companies", gen.COMPANY_COLUMNS, gen.company_rows())
            load("org_units", gen.UNIT_COLUMNS, gen.unit_rows())
            t0 = time.perf_counter()
            person_rows, position_rows = gen.people_rows()
            log(f"  {'(careers made)':18} {'':>10} {'':4} {time.perf_counter() - t0:7.1f} s")
            load("people", gen.PERSON_COLUMNS, person_rows)
            load("positions", gen.POSITION_COLUMNS, position_rows)
            del person_rows, position_rows
            load("relationships", gen.LINK_COLUMNS, gen.link_rows())
            contacts = gen.contact_rows()
            load("approach", gen.APPROACH_COLUMNS, contacts["approach"])
            load("status_changes", gen.CHANGE_COLUMNS, contacts["status_changes"])
            load("interactions", gen.INTERACTION_COLUMNS, contacts["interactions"])
            load("invitations", gen.INVITATION_COLUMNS, contacts["invitations"])
            load("terms", gen.TERM_COLUMNS, gen.term_rows())
            load("feeds", gen.FEED_COLUMNS, gen.feed_rows())
            load("news_items", gen.NEWS_COLUMNS, gen.news_rows())
            load("notes", gen.NOTE_COLUMNS, gen.note_rows())
            load("profile_checklist", ("id", "network", "item", "done"), gen.checklist_rows())
            load("settings", ("key", "value"), [("network_goal", "120")])
            for step, seconds in loader.finish().items():
                log(f"  {'(' + step + ')':34} {seconds:7.1f} s")
            counts = table_counts(nb)
    except BaseException:
        _remove(partial)
        raise
    _remove(path)  # with --force: the old notebook and, above all, its write-ahead log
    partial.replace(path)
    biggest = gen.biggest
    return Report(
        path,
        counts,
        time.perf_counter() - started,
        path.stat().st_size,
        biggest.slug,
        len(gen.current_at.get(biggest.id, [])),
    )


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="the notebook to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=50_000, help="people (companies, feeds, notes... follow)")
    parser.add_argument("--news", type=int, default=1_000_000, help="news items")
    parser.add_argument("--today", type=date.fromisoformat, help="the day the notebook is dated from (default: today)")
    parser.add_argument("--force", action="store_true", help="replace the notebook at --db if there is one")
    parser.add_argument("--check", action="store_true", help="then check it: integrity, foreign keys, search indexes")
    parser.add_argument("--digest", action="store_true", help="then print a digest of its content")
    args = parser.parse_args(argv)
    if args.people < 10 or args.news < 0:
        parser.error("--people must be at least 10 and --news at least 0")
    try:
        report = build(args.db, args.seed, args.people, args.news, args.today, args.force)
    except FileExistsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"\nbuilt {report.path} in {report.seconds:.1f} s: {report.size / 2**20:,.0f} MiB")
    for table, count in report.counts.items():
        print(f"  {table:18} {count:>10,}")
    print(f"biggest company: {report.biggest} ({report.biggest_people:,} people now)")
    status = 0
    if args.check or args.digest:
        with Notebook(args.db) as nb:
            if args.check:
                t0 = time.perf_counter()
                problems = verify(nb)
                print(f"check ({time.perf_counter() - t0:.1f} s): " + ("ok" if not problems else "; ".join(problems)))
                status = 1 if problems else 0
            if args.digest:
                print(f"digest: {content_digest(nb)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
