#!/usr/bin/env python3
"""Prints the :root block of web/src/kernel/theme.css: Element Plus's five theme colours with their
lightness lowered (hue and saturation kept) until 12 px text in that colour reaches WCAG AA 4.5:1 on
white, on the table header grey and on the colour's own light tag background; the light and dark
steps that Element Plus derives at build time are recomputed from the new colour."""
import colorsys
def lin(c):
    c/=255; return c/12.92 if c<=0.03928 else ((c+0.055)/1.055)**2.4
def L(rgb): r,g,b=[lin(x) for x in rgb]; return 0.2126*r+0.7152*g+0.0722*b
def cr(a,b):
    la,lb=L(a),L(b); la,lb=max(la,lb),min(la,lb); return (la+0.05)/(lb+0.05)
def hx(s): s=s.lstrip('#'); return tuple(int(s[i:i+2],16) for i in (0,2,4))
def h(rgb): return '#%02x%02x%02x'%tuple(round(x) for x in rgb)
def mix(a,b,t): return tuple(a[i]*(1-t)+b[i]*t for i in range(3))
W=(255,255,255);K=(0,0,0)
out=[]
for name,base in [('primary','#409eff'),('success','#67c23a'),('warning','#e6a23c'),('danger','#f56c6c'),('info','#909399')]:
    r,g,b=[x/255 for x in hx(base)]; hh,ll,ss=colorsys.rgb_to_hls(r,g,b)
    while True:
        c=tuple(x*255 for x in colorsys.hls_to_rgb(hh,ll,ss)); l9=mix(c,W,0.9)
        if cr(c,W)>=4.6 and cr(c,l9)>=4.5 and cr(c,(245,247,250))>=4.5: break
        ll-=0.005
    out.append(f'  --el-color-{name}: {h(c)};')
    for n in (3,5,7,8,9): out.append(f'  --el-color-{name}-light-{n}: {h(mix(c,W,n/10))};')
    out.append(f'  --el-color-{name}-dark-2: {h(mix(c,K,0.2))};')
print('\n'.join(out))
