# Party kinds and concerns over a folder of captures (default ../shared/captures/iot), with the
# unknown destinations and why: `python3 tests/bench/parties.py [FOLDER]` after `cargo build --release`.
import json, subprocess, sys, glob, collections, os
files = sorted(f for f in glob.glob(os.path.join(sys.argv[1] if len(sys.argv) > 1 else '../shared/captures/iot', '**/*'), recursive=True) if os.path.isfile(f) and not f.endswith(('.txt','.md','.json','.csv','.tsv')))
kinds = collections.Counter(); unknown = collections.Counter(); basis_kinds = collections.Counter(); third = collections.Counter(); first = collections.Counter()
concerns = collections.Counter(); n=0
for f in files:
    r = subprocess.run(['target/release/phonehome','analyze',f],capture_output=True,text=True)
    if r.returncode not in (0,):
        continue
    rep = json.loads(r.stdout); n+=1
    for d in rep['destinations']:
        p = d.get('party')
        if not p: continue
        kinds[p['kind']] += 1
        for c in d['concerns']: concerns[c]+=1
        name = (d['names'] or ['(no name)'])[0]
        if p['kind']=='unknown':
            reason = 'no name, network not listed' if p['basis'].startswith('no name') else ('maker cloud, device brand unknown' if 'not known' in p['basis'] or 'known only' in p['basis'] else 'name not on the lists')
            unknown[(reason, name if name!='(no name)' else (d.get('as_org') or '?'))]+=1
        elif p['kind']=='third': third[(p['owner'], name)]+=1
        elif p['kind']=='first': first[(p['owner'], name)]+=1
print('captures', n, 'party kinds', dict(kinds)); print('concerns', dict(concerns))
print('first:', first.most_common(15)); print('third:', third.most_common(15))
byreason = collections.Counter()
for (r,_),c in unknown.items(): byreason[r]+=c
print('unknown by reason', dict(byreason))
for k,c in unknown.most_common(40): print('  unknown', c, k)
