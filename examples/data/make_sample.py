#!/usr/bin/env python3
"""Writes the small sample district used by `make demo` (deterministic; re-run to regenerate).

Everything here is synthetic: the names are drawn from common surnames and given names, and the
identity numbers are made up (valid format and check digit, no real person behind them).
"""
import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(20150602)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def resident_id(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


streets = [("S01", "学田街道"), ("S02", "东园街道"), ("S03", "西湖街道")]
communities = {
    "S01": [("C0101", "学田社区"), ("C0102", "文教社区"), ("C0103", "杏林社区")],
    "S02": [("C0201", "东园社区"), ("C0202", "青山社区")],
    "S03": [("C0301", "西湖社区"), ("C0302", "荷塘社区"), ("C0303", "南门社区")],
}
orgs = [{"id": "D", "name": "学田区", "kind": "district", "parent": None}]
teams = []
for sid, sname in streets:
    orgs.append({"id": sid, "name": sname, "kind": "street", "parent": "D"})
    for cid, cname in communities[sid]:
        orgs.append({"id": cid, "name": cname, "kind": "community", "parent": sid})
        for n, label in enumerate(["第一邻里", "第二邻里"], start=1):
            orgs.append({"id": f"{cid}-N{n}", "name": f"{cname}{label}", "kind": "neighbourhood", "parent": cid})
orgs.append({"id": "U01", "name": "区民政局", "kind": "work_unit", "parent": "D"})
orgs.append({"id": "U02", "name": "区第一中学", "kind": "work_unit", "parent": "D"})

surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华建国红梅文博子轩雨涵欣怡浩然梓涵一诺思远佳怡晨曦"
volunteers = []
community_ids = [c for s in communities.values() for c, _ in s]
for i in range(1, 301):
    name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.choice([1, 2])))
    year = rng.randint(1950, 2002)
    birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    home = rng.choice(community_ids)
    volunteers.append({
        "id": f"XT{i:05d}",
        "name": name,
        "identity_kind": "resident_id",
        "identity_number": resident_id("360502", birth, i % 1000),
        "home_org": home,
    })

for cid in community_ids:
    members = [v["id"] for v in volunteers if v["home_org"] == cid]
    teams.append({
        "id": f"T-{cid}",
        "org": cid,
        "name": next(n for s in communities.values() for c, n in s if c == cid) + "邻里志愿服务队",
        "leader": members[0],
        "liaisons": members[1:2],
        "members": members[2:14],
    })

(HERE / "district.json").write_text(
    json.dumps({"ledger": {"id": "xuetian-district", "name": "学田区志愿服务记录"}, "orgs": orgs, "teams": teams},
               ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
with open(HERE / "volunteers.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["id", "name", "identity_kind", "identity_number", "home_org"])
    w.writeheader()
    w.writerows(volunteers)
print(f"{len(orgs)} orgs, {len(teams)} teams, {len(volunteers)} volunteers")
